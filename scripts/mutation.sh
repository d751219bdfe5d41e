#!/usr/bin/env bash
# Mutation testing: how many single-point changes to the core modules the (non-browser) tests catch.
# Optional and slow, so not in CI. Runs mutmut in a temporary copy of the repository, so the working
# tree is never touched, and prints the score per module.
#
#   pip install -e '.[test,mutation]'
#   bash scripts/mutation.sh                       # write, validate, schema, front_matter, discover
#   bash scripts/mutation.sh write validate        # chosen modules of src/dsguide
#   MUTATION_JOBS=1 MUTATION_TIMEOUT=1800 bash scripts/mutation.sh schema
#
# MUTATION_JOBS: parallel test runs (default 2); MUTATION_TIMEOUT: seconds before the run is cut short
# (default 3600), after which the score covers the mutants that were run. Tests that start dsguide in a
# subprocess do not see mutants (mutmut switches them in-process), so they neither catch nor miss any.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then modules=("$@"); else modules=(write validate schema front_matter discover); fi
for module in "${modules[@]}"; do
  [ -f "src/dsguide/$module.py" ] || { echo "no module src/dsguide/$module.py" >&2; exit 2; }
done
python3 -c "import mutmut" 2>/dev/null || { echo "mutmut is missing: pip install -e '.[test,mutation]'" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/dsguide-mutation.XXXXXX")
[ -n "${MUTATION_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT  # MUTATION_KEEP=1 keeps it for `mutmut browse`
# the files git knows, as they are in the working tree (tests read the workflows, README, content…)
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$work"
only=$(printf '"src/dsguide/%s.py", ' "${modules[@]}")
# mutmut runs the tests in a copy of its own (mutants/): everything at the top level goes along
extra=$(cd "$work" && for f in * .[!.]*; do case "$f" in src|tests|pyproject.toml|.git) ;; *) printf '"%s", ' "$f";; esac; done)
cat >> "$work/pyproject.toml" <<EOF

[tool.mutmut]
source_paths = ["src/"]
only_mutate = [${only%, }]
pytest_add_cli_args = ["-m", "not browser", "-p", "no:cacheprovider", "-q"]
also_copy = [${extra%, }]
use_git_change_detection = false
EOF

cd "$work"
timeout "${MUTATION_TIMEOUT:-3600}" python3 -m mutmut run --max-children "${MUTATION_JOBS:-2}" >mutmut.log 2>&1 \
  || echo "mutmut stopped (exit $?; a timeout is 124): the score below covers the mutants it ran"
python3 -m mutmut results --all true >results.txt 2>/dev/null || python3 -m mutmut results >results.txt 2>/dev/null || true
python3 - "${modules[@]}" <<'EOF'
"""Score per module from `mutmut results`: killed / (killed + survived); timeouts count as killed."""
import re
import sys
from collections import Counter

by_module: dict[str, Counter[str]] = {m: Counter() for m in sys.argv[1:]}
for line in open("results.txt", encoding="utf-8"):
    found = re.match(r"\s*dsguide\.(\w+)\.\S+:\s*(\w[\w ]*)$", line.rstrip())
    if found and found[1] in by_module:
        by_module[found[1]][found[2].strip()] += 1
total = Counter()
for module, counts in by_module.items():
    total += counts
    caught = counts["killed"] + counts["timeout"]
    ran = caught + counts["survived"]
    score = f"{100 * caught / ran:.0f} %" if ran else "n/a"
    print(f"{module:14} {score:>6}  caught {caught} of {ran} run" + "".join(
        f", {n} {status}" for status, n in sorted(counts.items()) if status not in ("killed", "timeout", "survived")))
caught, ran = total["killed"] + total["timeout"], total["killed"] + total["timeout"] + total["survived"]
print(f"{'all':14} {(f'{100 * caught / ran:.0f} %' if ran else 'n/a'):>6}  caught {caught} of {ran} run")
EOF
echo
echo "surviving mutants (the first 30), each a change no test noticed:"
for name in $(grep -E ": survived$" results.txt | head -30 | sed 's/: survived$//'); do
  python3 -m mutmut show "$name" 2>/dev/null | grep -E '^[-+][^-+]' | sed "s|^|$name  |" || true
done
