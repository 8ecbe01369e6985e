"""`make bench`: run every bench/bench_*.py in turn; each prints its own table.

Benchmarks are separate programs (not tests): they start their own servers and data, and
report medians. Run one alone with `.venv/bin/python bench/bench_<name>.py`.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n### {script.stem}\n", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
