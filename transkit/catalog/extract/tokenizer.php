<?php
// transkit's PHP side (run by catalog/extract/php.py): PHP's own tokenizer finds the gettext calls.
// Reads NUL-separated paths on stdin; writes one JSON line per file, in the same order:
// [error, calls, comments, decode] where
//   error: null, "unreadable" or [line, message, PHP version]
//          (a syntax error: the calls were then read with the lenient tokenizer);
//   calls: [[line, name, args, position, end, statement line, irregular]], irregular 1 when an argument
//   is named or spread (...$args, or PHP 8.1's __(...));
//   an argument is the string of a literal PHP decodes trivially (single-quoted, or double-quoted
//   without a backslash), else [value or null, what it is instead, its name or null];
//   comments: [[text, start line, end line, position]] (only those mentioning translators);
//   decode: [[call, argument, "s", raw literal], [call, argument, "h", heredoc start, body, end] or
//   [call, argument, "c", raw literal, raw literal, ...] (literals joined with ".", which PHP joins
//   when it compiles the file)]: what Python decodes; their argument is [null, "", name] until then;
// and, for a file that is not valid UTF-8, a fifth item: the line of its first invalid byte (a
// literal that is not valid UTF-8 is then [null, "a string that is not valid UTF-8", name]).
if (!function_exists('token_get_all')) { fwrite(STDERR, "PHP's tokenizer extension is not installed\n"); exit(3); }
$functions = array_flip(json_decode($argv[1], true));
// a method named like a gettext function ($this->__(), Foo::_e()) is read as one, as make-pot and
// xgettext read it (a plugin's wrapper that forwards to WordPress); a definition is not a call
$skip_before = array_flip([T_FUNCTION, T_NEW, T_CONST]);
$fq = defined('T_NAME_FULLY_QUALIFIED') ? T_NAME_FULLY_QUALIFIED : -1;
$noise = [T_WHITESPACE => 1, T_COMMENT => 1, T_DOC_COMMENT => 1];
$opens = ['(' => 1, '[' => 1, '{' => 1];
$closes = [')' => 1, ']' => 1, '}' => 1];
$statement_ends = [';' => 1, '{' => 1, '}' => 1];
$tags = [T_OPEN_TAG => 1, T_CLOSE_TAG => 1, T_OPEN_TAG_WITH_ECHO => 1];
// quoted literals joined by "." and nothing else: a string PHP knows before the code runs
function only_literals_joined(array $arg): bool {
  foreach ($arg as $m => $t) {
    if ($m % 2 === 0 ? !(is_array($t) && $t[0] === T_CONSTANT_ENCAPSED_STRING) : $t !== '.') { return false; }
  }
  return true;
}
// A Blade template (*.blade.php, Laravel's, as Sage themes use) as the PHP Blade compiles it to, only
// as far as the gettext calls need: {{ }} and {!! !!} echoes, @php blocks, the parentheses of
// @directives and the bound props of <x-component> tags become PHP; {{-- --}} comments PHP
// comments (a translators: one is kept); what Blade leaves as text (@{{ }}, @@if, @verbatim
// blocks) is no code. Every newline stays where it was, so lines are the template's. Code already
// in PHP tags is left alone.
function blade_to_php(string $code): string {
  // one left-to-right pass, so what one construct holds ('Mail me @home (now)') is never read as another
  $blade = '/(?<comment>\{\{--[\s\S]*?--\}\})|(?<escaped>@\{\{[\s\S]*?\}\}|@@\w+|@verbatim\b[\s\S]*?@endverbatim)'
         . '|(?<component><x-[\w.:-]+(?:[^>"\']++|"[^"]*+"|\'[^\']*+\')*+>)'
         . '|\{!!(?<raw>[\s\S]*?)!!\}'
         . '|\{\{(?<echo>[\s\S]*?)\}\}|@php\b(?!\s*\()(?<block>[\s\S]*?)@endphp'
         . '|\B@\w+\s*(?<args>\((?:[^()\'"]++|\'(?:[^\'\\\\]|\\\\.)*+\'|"(?:[^"\\\\]|\\\\.)*+"|(?&args))*\))/';
  $parts = preg_split('/(<\?(?:php\b|=)[\s\S]*?(?:\?>|$))/', $code, -1, PREG_SPLIT_DELIM_CAPTURE);
  foreach ($parts as $k => $part) {
    if ($k % 2 === 1) { continue; }  // PHP already
    $parts[$k] = preg_replace_callback($blade, function ($m) {
      if (($m['comment'] ?? '') !== '') { return '<?php /*' . str_replace('*/', '* /', substr($m[0], 4, -4)) . '*/ ?>'; }
      if (($m['escaped'] ?? '') !== '') { return str_repeat("\n", substr_count($m[0], "\n")); }
      if (($m['component'] ?? '') !== '') { return blade_component_to_php($m[0]); }
      if (isset($m['args']) && $m['args'] !== '') { return '<?php ' . $m['args'] . '; ?>'; }
      if (isset($m['block']) && $m['block'] !== '' || strncmp($m[0], '@php', 4) === 0) { return '<?php ' . ($m['block'] ?? '') . ' ?>'; }
      return '<?php echo ' . ($m['raw'] ?? '') . ($m['echo'] ?? '') . '; ?>';
    }, $part);
  }
  return implode('', $parts);
}
// <x-alert :message="__('Not found.', 'd')" :hint='__("Hi", "d")' title="{{ __('Hi', 'd') }}" />: a
// component's bound props, in either quotes (::prop is passed on as text), and echoes are PHP; the
// rest of the tag only keeps its newlines
function blade_component_to_php(string $tag): string {
  preg_match_all('/\s:(?!:)[\w.:-]+\s*=\s*(?:"(?<bound>[^"]*)"|\'(?<single>[^\']*)\')'
                 . '|\{\{(?<echo>[\s\S]*?)\}\}|\{!!(?<raw>[\s\S]*?)!!\}/',
                 $tag, $found, PREG_SET_ORDER | PREG_OFFSET_CAPTURE | PREG_UNMATCHED_AS_NULL);
  $php = ''; $position = 0;
  foreach ($found as $m) {
    foreach (['bound', 'single', 'echo', 'raw'] as $group) {
      if ($m[$group][0] !== null) { [$code, $at] = $m[$group]; break; }
    }
    $php .= str_repeat("\n", substr_count($tag, "\n", $position, $at - $position)) . '<?php echo ' . $code . '; ?>';
    $position = $at + strlen($code);
  }
  return $php . str_repeat("\n", substr_count($tag, "\n", $position));
}
// <p><? _e( 'Hi', 'd' ); (and the closing tag): a short open tag is code on a server with
// short_open_tag=On, which the plugin was written for, but text to this php-cli (Debian's php.ini
// has it Off, as php.ini-production): each `<?` + whitespace outside PHP becomes `<?php` (lines
// unchanged). `<?xml` stays text, as it must. (A closing tag in a // comment would end this file's PHP.)
function with_short_tags_opened(string $code): string {
  $opened = '';
  foreach (token_get_all($code) as $token) {
    $opened .= !is_array($token) ? $token
      : ($token[0] === T_INLINE_HTML ? preg_replace('/<\?(?=\s)/', '<?php', $token[1]) : $token[1]);
  }
  return $opened;
}
// a file in Latin-1 or Windows-1252 (an old plugin, an editor's default) is still read: most of its
// strings are ASCII; the line of its first byte that is not UTF-8 is reported
function first_invalid_utf8_line(string $code): int {
  preg_match('/^(?:[\x00-\x7F]++|[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}'
             . '|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2})*+/',
             $code, $valid);
  return substr_count($code, "\n", 0, strlen($valid[0])) + 1;
}
function valid_utf8(array $arg): bool {
  foreach ($arg as $t) { if (is_array($t) && !preg_match('//u', $t[1])) { return false; } }
  return true;
}
$input = stream_get_contents(STDIN);
foreach ($input === '' ? [] : explode("\0", $input) as $path) {
  $code = @file_get_contents($path);
  $error = null;
  if ($code === false) { echo '["unreadable",[],[],[]]', "\n"; continue; }
  $invalid_line = preg_match('//u', $code) ? 0 : first_invalid_utf8_line($code);
  if (strcasecmp(substr($path, -10), '.blade.php') === 0) {  // as sources.py's is_blade; not PHP: read leniently
    $tokens = token_get_all(blade_to_php($code));
  } else try {
    $tokens = token_get_all(preg_match('/<\?\s/', $code) ? with_short_tags_opened($code) : $code, TOKEN_PARSE);
  } catch (Throwable $e) {
    $error = [$e->getLine(), $e->getMessage(), PHP_VERSION];
    $tokens = token_get_all(preg_match('/<\?\s/', $code) ? with_short_tags_opened($code) : $code);
  }
  $count = count($tokens);
  $calls = []; $comments = []; $decode = [];
  $last_call = -1; $last_statement_line = 1;
  for ($i = 0; $i < $count; $i++) {
    $token = $tokens[$i];
    if (!is_array($token)) { continue; }
    $type = $token[0];
    if ($type === T_COMMENT || $type === T_DOC_COMMENT) {
      if (stripos($token[1], 'translators') !== false) {
        $comments[] = [$token[1], $token[2], $token[2] + substr_count($token[1], "\n"), $i];
      }
      continue;
    }
    if ($type !== T_STRING && $type !== $fq) { continue; }
    $name = $type === T_STRING ? $token[1] : ltrim($token[1], '\\');
    if (!isset($functions[$name])) { continue; }
    $line = $token[2];
    // not a definition (function __()), a class (new __()) or a constant
    $p = $i - 1;
    while ($p >= 0 && is_array($tokens[$p]) && isset($noise[$tokens[$p][0]])) { $p--; }
    if ($p >= 0 && is_array($tokens[$p]) && isset($skip_before[$tokens[$p][0]])) { continue; }
    $j = $i + 1;
    while ($j < $count && is_array($tokens[$j]) && isset($noise[$tokens[$j][0]])) { $j++; }
    if ($j >= $count || $tokens[$j] !== '(') { continue; }
    $args = []; $current = []; $depth = 0; $end = $count;
    for ($k = $j + 1; $k < $count; $k++) {
      $t = $tokens[$k];
      if (is_array($t)) {
        if (isset($noise[$t[0]])) { continue; }
        if ($t[0] === T_CURLY_OPEN || $t[0] === T_DOLLAR_OPEN_CURLY_BRACES) { $depth++; }
        $current[] = $t;
        continue;
      }
      if (isset($closes[$t]) && $depth === 0) { if ($current) { $args[] = $current; } $end = $k; break; }
      if ($t === ',' && $depth === 0) { $args[] = $current; $current = []; continue; }
      if (isset($opens[$t])) { $depth++; } elseif (isset($closes[$t])) { $depth--; }
      $current[] = $t;
    }
    $described = []; $irregular = 0; $index = count($calls);
    foreach ($args as $arg_index => $arg) {
      $arg_name = null;
      if (count($arg) > 2 && is_array($arg[0]) && $arg[0][0] === T_STRING && $arg[1] === ':') {
        $arg_name = $arg[0][1]; $arg = array_slice($arg, 2); $irregular = 1;
      }
      $n = count($arg);
      $first = $n ? $arg[0] : null;
      if ($invalid_line && !valid_utf8($arg)) {  // a msgid must be the source's bytes: no UTF-8 catalog has them
        $d = [null, 'a string that is not valid UTF-8 (the file is in another encoding)', $arg_name];  // calls.py's NOT_UTF8
      } elseif ($n === 1 && is_array($first) && $first[0] === T_CONSTANT_ENCAPSED_STRING) {
        $raw = $first[1];
        $quote = $raw[0];
        if ($quote === "'") {  // the common case, decoded here: only \\ and \' are escapes
          $d = strtr(substr($raw, 1, -1), ['\\\\' => '\\', "\\'" => "'"]);
        } elseif ($quote === '"' && strpos($raw, '\\') === false) {
          $d = substr($raw, 1, -1);
        } else {
          $decode[] = [$index, $arg_index, 's', $raw]; $d = null;
        }
        $d = $arg_name === null && $d !== null ? $d : [$d, '', $arg_name];
      } elseif ($n >= 2 && is_array($first) && $first[0] === T_START_HEREDOC && is_array($arg[$n - 1])
                && $arg[$n - 1][0] === T_END_HEREDOC && ($n === 2 || ($n === 3 && $arg[1][0] === T_ENCAPSED_AND_WHITESPACE))) {
        $decode[] = [$index, $arg_index, 'h', $first[1], $n === 3 ? $arg[1][1] : '', $arg[$n - 1][1]];
        $d = [null, '', $arg_name];
      } elseif ($n >= 3 && $n % 2 === 1 && only_literals_joined($arg)) {  // 'A long ' . 'sentence'
        $joined = [$index, $arg_index, 'c'];
        for ($m = 0; $m < $n; $m += 2) { $joined[] = $arg[$m][1]; }
        $decode[] = $joined;
        $d = [null, '', $arg_name];
      } else {
        $what = 'an expression';
        $dot = false; $interpolated = false; $depth = 0;
        foreach ($arg as $t) {
          if (is_array($t)) {
            if ($t[0] === T_VARIABLE || $t[0] === T_CURLY_OPEN || $t[0] === T_DOLLAR_OPEN_CURLY_BRACES) {
              if ($first === '"' || (is_array($first) && $first[0] === T_START_HEREDOC)) { $interpolated = true; }
            }
          } elseif (isset($opens[$t])) { $depth++; } elseif (isset($closes[$t])) { $depth--; }
          elseif ($t === '.' && $depth === 0) { $dot = true; }
        }
        if ($n === 0) { $what = 'missing'; }
        elseif (is_array($first) && $first[0] === T_ELLIPSIS) {  // the names must match calls.py's
          $irregular = 1;
          if ($n === 1) { $what = 'a first-class callable (' . $name . '(...) makes a closure: the strings passed to it are not extracted)'; }
          else {
            $code = ''; foreach ($arg as $t) { $code .= is_array($t) ? $t[1] : $t; }
            if (strlen($code) > 40 && preg_match('/^.{0,39}/su', $code, $cut)) { $code = $cut[0] . '…'; }
            $what = 'a spread argument (' . $code . ')';
          }
        }
        elseif ($dot) { $what = 'a concatenation'; }
        elseif ($interpolated) { $what = is_array($first) ? 'a heredoc with interpolation' : 'a string with interpolation'; }
        elseif ($n === 1 && is_array($first) && $first[0] === T_VARIABLE) { $what = 'a variable (' . $first[1] . ')'; }
        elseif ($n === 1 && is_array($first) && $first[0] === T_STRING) { $what = 'a constant (' . $first[1] . ')'; }
        elseif (is_array($first) && $first[0] === T_VARIABLE) { $what = 'an expression on ' . $first[1]; }
        elseif (is_array($first) && $first[0] === T_STRING && $n > 1 && $arg[1] === '(') { $what = 'a function call (' . $first[1] . '())'; }
        $d = [null, $what, $arg_name];
      }
      $described[] = $d;
    }
    // the first line of the statement: back to a ; { } or PHP tag, or to the previous call; the
    // braces of an interpolated string ("code_{$this->type}", a heredoc) end no statement
    $statement_line = $line; $in_string = false;
    for ($q = $i - 1; $q >= 0; $q--) {
      if ($q === $last_call) { $statement_line = $last_statement_line; break; }
      $t = $tokens[$q];
      if (is_array($t)) {
        if (isset($noise[$t[0]])) { continue; }
        if (isset($tags[$t[0]])) { break; }
        if ($t[0] === T_END_HEREDOC || $t[0] === T_START_HEREDOC) { $in_string = $t[0] === T_END_HEREDOC; }
        $statement_line = $t[2];
      } elseif ($t === '"' || $t === '`') { $in_string = !$in_string; }
      elseif (!$in_string && isset($statement_ends[$t])) { break; }
    }
    $last_call = $i; $last_statement_line = $statement_line;
    $calls[] = [$line, $name, $described, $i, $end, $statement_line, $irregular];
  }
  echo json_encode($invalid_line ? [$error, $calls, $comments, $decode, $invalid_line] : [$error, $calls, $comments, $decode],
                   JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
