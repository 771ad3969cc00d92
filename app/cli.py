"""The `buyer-api` command: serve, worker, seed, reindex, token, schema, manifest."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from app.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise SystemExit(f"buyer-api: {error}") from None


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.logs import configure_logging
    from app.main import create_app

    settings = _settings()
    configure_logging()
    run_dispatcher = False if args.no_worker else None
    app = create_app(settings, run_dispatcher=run_dispatcher)
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", ws="websockets-sansio", lifespan="on"
    )


def cmd_worker(args: argparse.Namespace) -> None:
    from app.logs import configure_logging
    from app.worker import run_worker

    settings = _settings()
    configure_logging()
    _run(run_worker(settings))


def cmd_seed(args: argparse.Namespace) -> None:
    from app.seed.runner import seed_demo

    if not args.demo:
        raise SystemExit("buyer-api seed: only --demo is offered; pass --demo")
    _run(seed_demo(_settings(), products=args.products, seed=args.seed))


def cmd_reindex(args: argparse.Namespace) -> None:
    from app.seed.reindex import reindex

    _run(reindex(_settings()))


def cmd_token(args: argparse.Namespace) -> None:
    from app.auth.local import issue_local_token
    from app.domain.accounts import Role
    from app.wiring import resolve_secrets

    settings = _settings()
    secrets = resolve_secrets(settings)
    if settings.auth_mode != "local" or secrets.auth is None:
        raise SystemExit("buyer-api token: tokens are issued only with AUTH_MODE=local")
    if args.supplier and args.role != "supplier":
        raise SystemExit("buyer-api token: --supplier goes with --role supplier")
    print(issue_local_token(secrets.auth, args.subject, Role(args.role), args.supplier or None))


def cmd_schema(args: argparse.Namespace) -> None:
    from app.resolvers.root import build_schema

    print(build_schema().as_str())


def cmd_manifest(args: argparse.Namespace) -> None:
    from app.edge.documents import build_manifest

    folder = Path(args.dir)
    if not folder.is_dir():
        raise SystemExit(f"buyer-api manifest: {folder} is not a folder")
    text = json.dumps(build_manifest(folder), indent=2) + "\n"
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)


def cmd_evaluate_feed(args: argparse.Namespace) -> None:
    from app.evaluate_feed import run_evaluation

    report = asyncio.run(run_evaluation(args.products, args.buyers, args.rounds, args.seed))
    if report.personalized.ndcg <= report.popularity.ndcg:
        raise SystemExit("buyer-api evaluate-feed: the personalized feed did not beat popularity")


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    try:
        asyncio.run(coroutine)
    except SettingsError as error:
        raise SystemExit(f"buyer-api: {error}") from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="buyer-api", description="The buyer app's GraphQL backend.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve HTTP and WebSocket")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="do not run the outbox dispatcher in-process")
    commands.add_parser("worker", help="run the outbox dispatcher (indexing, push, scheduled publishing)")
    seed = commands.add_parser("seed", help="load deterministic demo data")
    seed.add_argument("--demo", action="store_true")
    seed.add_argument("--products", type=int, default=3000)
    seed.add_argument("--seed", type=int, default=7)
    commands.add_parser("reindex", help="rebuild the search index from the store")
    token = commands.add_parser("token", help="print a bearer token for local auth")
    token.add_argument("subject")
    token.add_argument("--role", choices=["buyer", "supplier", "editor"], default="buyer")
    token.add_argument("--supplier", help="the supplier's GraphQL id (suppliers only)")
    commands.add_parser("schema", help="print the schema as SDL")
    manifest = commands.add_parser("manifest", help="write the trusted-documents manifest of a folder")
    manifest.add_argument("dir")
    manifest.add_argument("-o", "--output")
    evaluate = commands.add_parser(
        "evaluate-feed", help="score the personalized feed against popularity offline"
    )
    evaluate.add_argument("--products", type=int, default=400)
    evaluate.add_argument("--buyers", type=int, default=30)
    evaluate.add_argument("--rounds", type=int, default=3)
    evaluate.add_argument("--seed", type=int, default=7)
    return parser


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "serve": cmd_serve,
    "worker": cmd_worker,
    "seed": cmd_seed,
    "reindex": cmd_reindex,
    "token": cmd_token,
    "schema": cmd_schema,
    "manifest": cmd_manifest,
    "evaluate-feed": cmd_evaluate_feed,
}


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    COMMANDS[args.command](args)
