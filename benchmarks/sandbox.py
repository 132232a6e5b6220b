"""What the sandbox costs: letters rendered with Jinja's SandboxedEnvironment against the same
letters rendered with a plain Environment, in one run, interleaved, best of several rounds.

    .venv/bin/python benchmarks/sandbox.py [LETTERS]      # bench.py runs it too

Both sides are the batch's own fast path (``CompiledTemplate.render_with_text``: the compiled
parts, the read-back of the text, the zip), in this process, on the same contexts, so that the
ratio is the sandbox's cost and nothing else.  Times are CPU time (``time.process_time``), the
best of the rounds, so that other tenants of a shared machine weigh less.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

EXAMPLES = ROOT / "ehe_letters" / "data" / "examples"


def contexts(letter_id: str, count: int, when: str) -> list[dict]:
    """The template contexts of `count` generated mailing rows."""
    from ehe_letters.batch.read import load_mapping, read_rows
    from ehe_letters.letters.catalogue import get_letter
    from ehe_letters.letters.context import build_jobs
    from ehe_letters.models import CaseFile
    from ehe_letters.models.loading import load_authority

    letter = get_letter(letter_id)
    authority = load_authority(EXAMPLES / "authority.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "m.csv"
        generate.write(source, count)
        rows, _ = read_rows(source, load_mapping(EXAMPLES / "mailing-mapping.toml"))
        found = []
        for row in rows:
            case = CaseFile.model_validate({"authority": authority.model_dump(), **row.data})
            job = build_jobs(letter, case.case, authority, date.fromisoformat(when))[0]
            found.append(job.context)
    return found


def measure(
    letter_id: str = "welcome", count: int = 500, rounds: int = 5, when: str = "2026-12-01"
) -> tuple[float, float]:
    """Seconds per letter (plain, sandboxed), each the best of `rounds` interleaved rounds."""
    from jinja2 import Environment
    from jinja2.sandbox import SandboxedEnvironment

    from ehe_letters.docx import jinja_env
    from ehe_letters.docx.compiled import CompiledTemplate
    from ehe_letters.letters.catalogue import get_letter

    template = get_letter(letter_id).template
    plain_env = Environment(
        autoescape=True, undefined=jinja_env.PathUndefined, finalize=jinja_env._no_none
    )
    plain = CompiledTemplate(template, env=plain_env)
    sandboxed = CompiledTemplate(template)
    assert isinstance(sandboxed.env, SandboxedEnvironment)
    jobs = contexts(letter_id, count, when)
    best = {"plain": float("inf"), "sandboxed": float("inf")}
    for _ in range(rounds):
        for name, compiled in (("plain", plain), ("sandboxed", sandboxed)):
            start = time.process_time()  # CPU time: other tenants' load does not count
            for context in jobs:
                compiled.render_with_text(context, "ehe-letters/1 benchmark")
            best[name] = min(best[name], (time.process_time() - start) / len(jobs))
    return best["plain"], best["sandboxed"]


def rows(count: int = 500) -> list[tuple[str, str]]:
    """The benchmark table's rows for the sandbox."""
    plain, sandboxed = measure(count=count)
    return [
        (f"render, plain Jinja, CPU per letter ({count} letters)", f"{plain * 1000:.3f} ms"),
        (f"render, sandboxed, CPU per letter ({count} letters)", f"{sandboxed * 1000:.3f} ms"),
        ("**sandbox cost: sandboxed / plain (target <= 1.1x)**", f"**{sandboxed / plain:.2f}x**"),
    ]


if __name__ == "__main__":
    print("| measure | result |\n|---|---|")
    for name, value in rows(int(sys.argv[1]) if len(sys.argv) > 1 else 500):
        print(f"| {name} | {value} |")
