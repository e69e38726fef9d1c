"""The format-string parsers agree with GNU msgfmt -c: random strings are judged by both, in one
msgfmt run per format language (the strings are generated from a fixed seed)."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest

from transkit.checks.formats import PARSERS, InvalidFormat, compare_formats, parse_php, parse_python

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt is not installed")

PIECES = {
    "c": ["%", "%", "%", "s", "d", "1$", "2$", "l", "h", "*", ".", "5", "x", "q", "u", "c", "'", "-",
          "0", " ", "a", "m", "%%", "f", "n", "p", "$", "z"],
    "php": ["%", "%", "%", "s", "d", "1$", "2$", "l", "'", ".", "5", "x", "q", "u", "c", "-", "0", " ",
            "+", "e", "E", "f", "F", "%%", "b", "g", "$", "3$"],
    "python": ["%", "%", "%", "s", "d", "(a)", "(b)", "(", ")", "r", "*", ".", "5", "x", "q", "l",
               "c", "-", "0", " ", "+", "#", "f", "%%", "i", "g", "u"],
    "python-brace": ["{", "{", "}", "}", "a", "b", "0", "1", ".", "[", "]", ":", "!", "r", " ", "x",
                     "{{", "}}", "-", ">", "5"],
}


def we_reject(kind: str, source: str, translation: str) -> bool:
    parse = PARSERS[kind]
    try:
        source_spec = parse(source)
    except InvalidFormat:
        return False
    try:
        translation_spec = parse(translation, True)
    except InvalidFormat:
        return True
    return compare_formats(kind, source_spec, translation_spec, strict=True) is not None


@pytest.mark.parametrize("kind", sorted(PIECES))
def test_parsers_agree_with_msgfmt_on_random_strings(kind, tmp_path):
    rng = random.Random(20240611)
    pairs, seen = [], set()
    while len(pairs) < 1500:
        source = "".join(rng.choice(PIECES[kind]) for _ in range(rng.randint(1, 7)))
        if source in seen:
            continue
        seen.add(source)
        translation = source if rng.random() < 0.2 else "".join(
            rng.choice(PIECES[kind]) for _ in range(rng.randint(1, 7)))
        pairs.append((source, translation))
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    line_of_pair = {}
    for source, translation in pairs:
        lines += [f"#, {kind}-format", f'msgid "{source}"', f'msgstr "{translation}"', ""]
        line_of_pair[len(lines) - 1] = (source, translation)
    po = tmp_path / "random.po"
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stderr = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True,
                            text=True).stderr
    rejected = {int(m.group(1)) for m in re.finditer(r"random\.po:(\d+): (?!warning)", stderr)}
    assert len(rejected) > 100  # the generator does produce broken strings
    disagreements = [(pair, line in rejected) for line, pair in line_of_pair.items()
                     if (line in rejected) != we_reject(kind, *pair)]
    assert disagreements == []


def test_php_positional_arguments_and_reordering():
    spec = parse_php("%2$s owns %1$d items")
    assert spec.named == {2: "string", 1: "int"}
    reordered = parse_php("%1$d items of %2$s")
    assert compare_formats("php", spec, reordered, strict=True) is None
    assert compare_formats("php", spec, parse_php("%1$s items of %2$s"), strict=True) is not None


def test_php_rejects_a_translation_with_an_unknown_conversion():
    with pytest.raises(InvalidFormat):
        parse_php("99%q sure")


def test_python_named_arguments_must_keep_their_names():
    source = parse_python("%(count)d files in %(folder)s")
    assert compare_formats("python", source, parse_python("%(folder)s: %(count)d"), strict=True) is None
    renamed = parse_python("%(Count)d Dateien in %(folder)s")
    assert "Count" in compare_formats("python", source, renamed, strict=True)


def test_a_form_used_for_few_numbers_may_drop_the_count_but_not_change_it():
    source = parse_php("%d files")
    assert compare_formats("php", source, parse_php("one file"), strict=False) is None
    assert compare_formats("php", source, parse_php("one file"), strict=True) is not None
    assert compare_formats("php", source, parse_php("%s file"), strict=False) is not None
