"""CPU time of the figure pipeline's tasks, by kind, for the surfaces named on the command line
(default: all), run one after another into a temporary directory:

    python benchmarks/profile_tasks.py rosenbrock cubic
"""
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from build_assets.config import load  # noqa: E402
from build_assets.tasks import plan  # noqa: E402


def main(only: tuple[str, ...]) -> None:
    exp = load(Path(__file__).resolve().parents[1] / "build_assets" / "experiments.yml")
    out = Path(tempfile.mkdtemp())
    seconds: dict[str, float] = collections.defaultdict(float)
    for task in plan(exp, only):  # the plan lists every task after the ones it reads
        start = time.process_time()
        task.func(out, **task.params)
        seconds[task.kind] += time.process_time() - start
    for kind, value in sorted(seconds.items(), key=lambda item: -item[1]):
        print(f"{kind:12s} {value:7.1f} s")
    print(f"{'total':12s} {sum(seconds.values()):7.1f} s CPU")


if __name__ == "__main__":
    main(tuple(sys.argv[1:]))
