"""A real terminal for TUI tests: ``transkit tui`` runs in a pty (pexpect), its output is drawn by a
terminal emulator (pyte), and keys are sent as the bytes terminals and tmux send — ESC+digit for
alt+digit, CSI sequences for arrows and F-keys. Tests poll the screen text; they never sleep a fixed time.
"""

from __future__ import annotations

import os
import shutil
import sys
import time

import pexpect
import pyte

# what a terminal sends (xterm / tmux with TERM=xterm-256color)
KEYS = {
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D",
    "home": b"\x1b[H", "end": b"\x1b[F", "pageup": b"\x1b[5~", "pagedown": b"\x1b[6~",
    "f1": b"\x1bOP", "f2": b"\x1bOQ", "f3": b"\x1bOR", "f4": b"\x1bOS", "f5": b"\x1b[15~",
    "f6": b"\x1b[17~", "f7": b"\x1b[18~", "f8": b"\x1b[19~", "f9": b"\x1b[20~", "f10": b"\x1b[21~",
    "tab": b"\t", "shift+tab": b"\x1b[Z", "enter": b"\r", "escape": b"\x1b", "backspace": b"\x7f",
    "alt+right": b"\x1b[1;3C", "alt+left": b"\x1b[1;3D",
}


def ctrl(letter: str) -> bytes:
    return bytes([ord(letter.lower()) - ord("a") + 1])


def alt(character: str) -> bytes:
    """alt+x as most Linux terminals and tmux send it: ESC, then the character."""
    return b"\x1b" + character.encode()


class Terminal:
    def __init__(self, args: list[str], cwd, env: dict | None = None, columns: int = 110, lines: int = 32):
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        environment = dict(os.environ if env is None else env)
        environment.update(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        environment.pop("TEXTUAL", None)
        executable = shutil.which("transkit") or sys.executable
        argv = args if shutil.which("transkit") else ["-m", "transkit.cli.main", *args]
        self.child = pexpect.spawn(executable, argv, cwd=str(cwd), env=environment,
                                   dimensions=(lines, columns))

    def pump(self, timeout: float = 0.05) -> None:
        try:
            while True:
                data = self.child.read_nonblocking(65536, timeout=timeout)
                self.stream.feed(data)
                timeout = 0.01
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            pass

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, wanted, timeout: float = 60.0) -> str:
        """Poll until ``wanted`` (a string on screen, or a predicate of the screen text) holds; the
        timeout bounds a broken run (a loaded CI machine may take many seconds to start the app)."""
        check = wanted if callable(wanted) else (lambda text: wanted in text)
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            if check(self.text):
                return self.text
            if time.monotonic() > deadline or not self.child.isalive():
                raise AssertionError(f"waited {timeout:.0f} s for {wanted!r}; the screen shows:\n{self.text}")

    def send(self, *keys: bytes | str) -> None:
        for key in keys:
            data = KEYS[key] if isinstance(key, str) and key in KEYS else key
            self.child.send(data if isinstance(data, bytes) else data.encode())
            self.pump(0.02)

    def close(self) -> int | None:
        if self.child.isalive():
            self.child.send(ctrl("q"))
            deadline = time.monotonic() + 10
            while self.child.isalive() and time.monotonic() < deadline:
                self.pump(0.05)
                if self.child.isalive() and "ctrl+q again" in self.text:
                    self.child.send(ctrl("q"))
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()
        return self.child.exitstatus
