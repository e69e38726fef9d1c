/* A tiny command-line program, the generic gettext layout of the transkit samples. */
#include <libintl.h>
#include <stdio.h>
#define _(s) gettext (s)
#define N_(s) s

int
main (int argc, char **argv)
{
  int count = argc - 1;
  printf (_("Hello, %s!\n"), argc > 1 ? argv[1] : "world");
  printf (ngettext ("%d argument given\n", "%d arguments given\n", count), count);
  puts (_("Save Changes"));
  puts (_("Settings saved."));
  puts (pgettext ("menu", "Quit"));
  return 0;
}
