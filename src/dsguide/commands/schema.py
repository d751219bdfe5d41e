"""`dsguide schema`: write JSON Schema for note, source and path front matter.

Generated from the declarations the validator uses, with site.yaml's vocabularies as enums,
so an editor's YAML extension flags the same mistakes `dsguide check` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..cli import ExitCode, config_failure
from ..config import SiteConfig, load_config
from ..schema import KIND_SCHEMAS, SITE, json_schema

TITLES = {"note": "dsguide note", "source": "dsguide source", "path": "dsguide reading path",
          "page": "dsguide page"}


def schemas(config: SiteConfig) -> dict[str, str]:
    """{file name: JSON text} for every front-matter kind and for site.yaml."""
    out = {}
    vocab = config.vocabularies()
    for kind, record in {**KIND_SCHEMAS, "site": SITE}.items():
        data = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": TITLES.get(kind, "dsguide site.yaml"),
                **json_schema(record, vocab if kind != "site" else None)}
        out[f"{kind}.schema.json"] = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return out


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("schema", help="write JSON Schema for front matter", description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration")
    parser.add_argument("--out", type=Path, default=None, help="folder to write to (default: schema/)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the files on disk are stale")
    return parser


def run(args: argparse.Namespace) -> int:
    config, problems = load_config(args.config)
    if config is None:
        return config_failure(problems)
    out_dir = args.out or config.root / "schema"
    if out_dir.exists() and not out_dir.is_dir():
        print(f"dsguide schema: error: {out_dir} is a file; --out takes a folder", file=sys.stderr)
        return ExitCode.USAGE
    stale = []
    generated = schemas(config)
    for name, text in generated.items():
        target = out_dir / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(target)
        if not args.check:
            out_dir.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("stale: " + ", ".join(str(p) for p in stale) + " (run: dsguide schema)", file=sys.stderr)
        return ExitCode.FAILED
    print(f"{'checked' if args.check else 'wrote'} {len(generated)} schemas in {out_dir}")
    return ExitCode.OK
