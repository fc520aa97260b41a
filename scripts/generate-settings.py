#!/usr/bin/env python3
"""Generates Sources/PrefectServer/Generated/PrefectSettingsTree.swift from Prefect 3.9.1's
settings model: every setting `GET /api/admin/settings` answers, in Prefect's order, with its
environment names (the first set one wins, as pydantic's AliasChoices), its kind (how a value
from the environment or a profile is read) and its default as Prefect serialises it for a
fresh PREFECT_HOME (written as the placeholder /__PREFECT_HOME__); and
Tests/PrefectServerTests/Fixtures/admin-settings.json: Prefect's answers in a few environments,
which the Swift tests compare whole with the embedded server's.

  .prefect-venv/bin/python scripts/generate-settings.py [--check]
"""
import json
import re
import os
import subprocess
import sys
import typing
from datetime import timedelta
from pathlib import Path

HOME = "/__PREFECT_HOME__"
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "Sources/PrefectServer/Generated/PrefectSettingsTree.swift"
FIXTURE = ROOT / "Tests/PrefectServerTests/Fixtures/admin-settings.json"
# Environments whose answers the Swift tests compare whole with AdminSettings.document.
ENVIRONMENTS = {
    "a fresh home": {"PREFECT_HOME": "/tmp/prefect-settings-home"},
    "settings of every kind": {
        "PREFECT_HOME": "/tmp/prefect-settings-home",
        "PREFECT_API_URL": "http://prefect.example:4300/api",
        "PREFECT_SERVER_API_PORT": "4300",
        "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "true",
        "PREFECT_SERVER_API_AUTH_STRING": "admin:hunter2",
        "PREFECT_CLIENT_RETRY_EXTRA_CODES": "500,502",
        "PREFECT_LOGGING_EXTRA_LOGGERS": "httpx,anyio",
        "PREFECT_SERVER_EVENTS_RETENTION_PERIOD": "P1D",
        "PREFECT_SERVER_CSRF_TOKEN_EXPIRATION": "00:01:30",
        "PREFECT_CLIENT_RETRY_JITTER_FACTOR": "0.5",
        "PREFECT_CLIENT_MAX_RETRIES": "7",
        "PREFECT_UI_SERVE_BASE": "/prefect",
        "PREFECT_LOGGING_LEVEL": "DEBUG",
        "PREFECT_CLIENT_CUSTOM_HEADERS": '{"X-Team": "data"}',
        "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
    },
}


def in_environment(argument, environment):
    """This script run with `argument` in a process whose only PREFECT_* variables are `environment`."""
    # SSL_CERT_FILE is `api.ssl_cert_file`'s default (AdminSettings reads it the same way).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "SSL_CERT_FILE"}
    env.update(environment)
    output = subprocess.run([sys.executable, __file__, argument], env=env, check=True, capture_output=True, text=True)
    return output.stdout


def settings_in_clean_environment():
    """The settings of a process with only PREFECT_HOME set (a home that does not exist)."""
    return json.loads(in_environment("--emit-json", {"PREFECT_HOME": HOME}))


def emit_answer():
    """What `GET /api/admin/settings` answers in this process's environment (FastAPI writes the
    response model's JSON)."""
    from prefect.settings import Settings
    print(Settings().model_dump_json(), end="")


def fixture():
    cases = {name: {"environment": environment, "answer": in_environment("--emit-answer", environment)}
             for name, environment in ENVIRONMENTS.items()}
    return json.dumps(cases, indent=1, ensure_ascii=False) + "\n"


def kind_of(annotation, default):
    text = str(annotation)
    if "SecretStr" in text:
        return "secret"
    if annotation is bool or text in ("typing.Optional[bool]", "bool | None"):
        return "bool"
    if annotation is int or text in ("typing.Optional[int]", "int | None"):
        return "int"
    if annotation is float or text in ("typing.Optional[float]", "float | None"):
        return "float"
    if re.search(r"(list|set)\[(typing\.Annotated\[)?int\b", text):
        return "intList"
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set) or text.startswith(("list[", "typing.List", "typing.Optional[list", "typing.Optional[typing.List")) or isinstance(default, list):
        return "list"
    if origin is dict or text.startswith(("dict[", "typing.Dict", "typing.Optional[dict")) or isinstance(default, dict):
        return "object"
    if "timedelta" in text:
        return "seconds"
    return "string"


def emit_json():
    from pydantic import BaseModel
    from prefect.settings import Settings
    from prefect.settings.legacy import _get_settings_fields

    settings = Settings()
    dumped = json.loads(settings.model_dump_json())  # as FastAPI answers (checked in CI against stock)
    names = {}
    for name, setting in _get_settings_fields(Settings).items():
        if name.startswith("PREFECT_"):
            names.setdefault(setting.accessor, []).append(name)
    leaves = []

    def walk(model, value, path):
        for field_name, field in type(model).model_fields.items():
            key = field.serialization_alias or field_name
            if key not in value:
                continue
            annotation = field.annotation
            child = getattr(model, field_name)
            if isinstance(child, BaseModel) and isinstance(value[key], dict):
                walk(child, value[key], path + [key])
                continue
            accessor = ".".join(path + [field_name])
            leaves.append({"path": path + [key], "names": names.get(accessor, []),
                           "kind": kind_of(annotation, value[key]), "default": value[key]})

    walk(settings, dumped, [])
    print(json.dumps(leaves))


def swift_string(text):
    return "#\"" + text + "\"#" if '"#' not in text else json.dumps(text)


def render(leaves):
    lines = [
        "// Generated by scripts/generate-settings.py from Prefect 3.9.1's settings model. Do not edit.",
        "",
        "/// Every setting `GET /api/admin/settings` answers, in Prefect 3.9.1's order: its path in the",
        "/// answer, its environment names (the first one set wins), how a set value is read, and its",
        "/// default as Prefect writes it (`/__PREFECT_HOME__` standing for `PREFECT_HOME`).",
        "enum PrefectSettingsTree {",
        "    static let leaves: [PrefectSettingLeaf] = [",
    ]
    for leaf in leaves:
        path = ", ".join(json.dumps(p) for p in leaf["path"])
        names = ", ".join(json.dumps(n) for n in leaf["names"])
        default = json.dumps(leaf["default"], separators=(",", ":"), ensure_ascii=False)
        lines.append(f"        .init(path: [{path}], names: [{names}], kind: .{leaf['kind']}, defaultJSON: {swift_string(default)}),")
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


def main():
    if "--emit-json" in sys.argv:
        emit_json()
        return
    if "--emit-answer" in sys.argv:
        emit_answer()
        return
    outputs = {TARGET: render(settings_in_clean_environment()), FIXTURE: fixture()}
    for path, text in outputs.items():
        if "--check" in sys.argv:
            if path.read_text() != text:
                sys.exit(f"{path} is not what scripts/generate-settings.py generates; run it")
            print(f"{path.name} is current")
        else:
            path.write_text(text)
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
