"""The `rightstrack` console script.

File commands (analyse, classifier, extract, group) run without Django or a database, so
analysts can use them offline on a laptop. Database commands (import, search, export, users,
tokens, serve, and any Django management command) go through Django.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from rightstrack import __version__

#: File commands: name -> module with add_arguments(parser) and run(args) -> int.
FILE_COMMANDS = {
    "analyse": "rightstrack.engine.commands.analyse",
    "classifier": "rightstrack.engine.commands.classifier",
    "group": "rightstrack.engine.commands.group",
    "extract": "rightstrack.formats.commands.extract",
}

#: Database commands: name -> Django management command.
DJANGO_COMMANDS = {
    "import": "import_recommendations",
    "search": "search_recommendations",
    "export": "export_recommendations",
    "institutions": "manage_institutions",
    "users": "manage_users",
    "tokens": "manage_tokens",
    "assign": "assign_recommendations",
    "serve": "serve",
    "worker": "worker",
    "jobs": "jobs",
    "backup": "backup",
    "restore": "restore",
    "demo": "load_demo",
    "send-reminders": "send_reminders",
    "manage": None,  # any Django management command: rightstrack manage migrate
}

USAGE = f"""rightstrack {__version__}: follow up UN human rights recommendations.

usage: rightstrack COMMAND [options]   (rightstrack COMMAND --help for each)

Working on files (no database):
  analyse      analyse each recommendation's text (action category, detail, groups, themes, SDGs)
  classifier   train or apply a classifier for any taxonomy
  group        find recommendations that ask for the same thing
  extract      find the recommendations in a UN document (PDF, DOCX, TXT, HTML)

Working on the database (DATABASE_URL, SQLite by default):
  import       import recommendations from a file
  search       full-text search with filters
  export       write a matrix, report or list
  institutions add, list and rename institutions
  users        manage people and their roles
  tokens       create API tokens
  assign       assign recommendations to institutions from a CSV, XLSX or JSON Lines file
  serve        run the web app and API (with a job worker inside, unless --production)
  worker       run background jobs (imports, reminders) from the shared queue
  jobs         start, list and show background jobs
  backup       write everything (all tables, uploaded files) to one file
  restore      load a backup into an empty database
  demo         load the demo data and print a demo login
  send-reminders  e-mail the day's reminders (deadlines, updates to validate, digests)
  manage       run any Django management command (migrate, createsuperuser, ...)
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if argv[0] in ("--version", "version"):
        print(__version__)
        return 0
    name, rest = argv[0], argv[1:]
    try:
        if name in FILE_COMMANDS:
            return run_file_command(name, rest)
        if name in DJANGO_COMMANDS:
            return run_django_command(name, rest)
    except BrokenPipeError:
        # `rightstrack search ... | head`: the reader has all it wanted. Point stdout at
        # /dev/null so that the interpreter's last flush does not fail again, and stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # as a shell reports a command ended by SIGPIPE (128 + 13)
    print(f"rightstrack: unknown command {name!r}; see rightstrack --help", file=sys.stderr)
    return 2


def run_file_command(name: str, rest: list[str]) -> int:
    """Run one file command; turn input errors into a one-line message and exit status 2."""
    from rightstrack.formats.exceptions import InputError

    module = importlib.import_module(FILE_COMMANDS[name])
    parser = argparse.ArgumentParser(prog=f"rightstrack {name}", description=module.__doc__)
    module.add_arguments(parser)
    args = parser.parse_args(rest)
    try:
        return int(module.run(args) or 0)
    except InputError as exc:
        print(f"rightstrack {name}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run_django_command(name: str, rest: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    from django.core.management import execute_from_command_line

    command = DJANGO_COMMANDS[name]
    if command is None:
        if not rest:
            rest = ["help"]
        command, rest = rest[0], rest[1:]
    elif not {"-h", "--help"} & set(rest):
        # A new database is set up; one that cannot be used says what to run.
        import django

        from rightstrack.recommendations.database import DatabaseNotReady, ensure_database

        django.setup()
        try:
            ensure_database()
        except DatabaseNotReady as exc:
            print(f"rightstrack {name}: error: {exc}", file=sys.stderr)
            return 2
    try:
        execute_from_command_line(["rightstrack", command, *rest])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
