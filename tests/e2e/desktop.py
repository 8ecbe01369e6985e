"""A small real desktop for the push test: Xvfb, a session D-Bus and the dunst notification
daemon, so a headful Chromium shows a pushed reminder the way Linux desktops do (Chromium
sends it over D-Bus to org.freedesktop.Notifications) and the picture is of what was drawn.

Debian: `apt-get install xvfb dbus dunst` (dunstctl comes with dunst, xwininfo with
x11-utils). When a program is missing, `missing()` names it and the test skips saying so.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess  # noqa: S404 - fixed programs, no shell, arguments from this file
import time
from dataclasses import dataclass
from pathlib import Path

PROGRAMS = ("Xvfb", "dbus-daemon", "dunst", "dunstctl", "xwininfo")
DUNSTRC = Path(__file__).with_name("dunstrc")
SCREEN = "1280x800x24"


def missing() -> list[str]:
    """The programs this desktop needs that are not installed (empty when all are)."""
    return [program for program in PROGRAMS if shutil.which(program) is None]


@dataclass
class Desktop:
    display: str
    bus: str

    @property
    def env(self) -> dict[str, str]:
        """What a program needs to draw on this screen and reach this notification daemon."""
        return {**os.environ, "DISPLAY": self.display, "DBUS_SESSION_BUS_ADDRESS": self.bus}

    def _run(self, *command: str) -> str:
        result = subprocess.run(  # noqa: S603 - a fixed program of PROGRAMS
            command, env=self.env, capture_output=True, text=True, check=True, timeout=10
        )
        return result.stdout

    def shown(self) -> int:
        """How many notifications the daemon has on screen now."""
        return int(self._run("dunstctl", "count", "displayed"))

    def wait_until_shown(self, count: int = 1, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.shown() < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the daemon shows {self.shown()} notifications, not {count}")
            time.sleep(0.2)

    def notification_box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) of the daemon's window on the screen."""
        tree = self._run("xwininfo", "-root", "-tree")
        match = re.search(r'"Dunst"\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)', tree)
        if match is None:
            raise AssertionError("no dunst window on the screen")
        width, height, left, top = map(int, match.groups())
        return left, top, left + width, top + height

    def grab(self, box: tuple[int, int, int, int]):
        """The pixels of `box` as X has them (Pillow reads the screen over XCB)."""
        from PIL import ImageGrab

        return ImageGrab.grab(bbox=box, xdisplay=self.display)

    def close_all(self) -> list[dict[str, str]]:
        """Close what is shown; return the daemon's history, newest first (what it received:
        app name, summary and body, as plain strings)."""
        self._run("dunstctl", "close-all")
        history = json.loads(self._run("dunstctl", "history"))["data"][0]
        fields = ("appname", "summary", "body")
        return [{name: entry[name]["data"] for name in fields} for entry in history]


@contextlib.contextmanager
def notification_desktop(workdir: Path):
    """Start Xvfb (on a display it picks), a session bus and dunst; stop them afterwards."""
    processes: list[subprocess.Popen] = []
    try:
        read_end, write_end = os.pipe()
        xvfb = subprocess.Popen(  # noqa: S603 - fixed program
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(xvfb)
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            display = ":" + numbers.readline().strip()
        if display == ":":
            raise RuntimeError("Xvfb did not start")
        bus = subprocess.Popen(  # noqa: S603 - fixed program
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(bus)
        desktop = Desktop(display=display, bus=bus.stdout.readline().strip())
        log = (workdir / "dunst.log").open("w")
        processes.append(
            subprocess.Popen(  # noqa: S603 - fixed program
                ["dunst", "-config", str(DUNSTRC)], env=desktop.env, stdout=log, stderr=log
            )
        )
        deadline = time.monotonic() + 10
        while True:  # dunst is ready when it answers on the bus
            with contextlib.suppress(subprocess.CalledProcessError):
                desktop.shown()
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"dunst did not start: {(workdir / 'dunst.log').read_text()}")
            time.sleep(0.1)
        yield desktop
    finally:
        for process in reversed(processes):
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            if process.poll() is None:
                process.kill()
                process.wait()
