"""Prefect 3.9.1's own blocks against prefect-swift server start (PREFECT_API_URL): `Secret` and
`LocalFileSystem` saved, loaded (their block types and schemas are the server's system blocks,
found by Prefect's checksums), overwritten, and a nested block (`S3Bucket`-style: a block that
holds another) saved with its reference and loaded back whole. Exits non-zero on the first
difference."""
from __future__ import annotations

import asyncio
import sys
import uuid

from prefect.blocks.core import Block
from prefect.blocks.system import Secret
from prefect.client.orchestration import get_client
from prefect.filesystems import LocalFileSystem
from pydantic import SecretStr


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"check-python-blocks: {message}")


class SwiftCheckCredentials(Block):
    username: str
    password: SecretStr


class SwiftCheckConnection(Block):
    host: str
    credentials: SwiftCheckCredentials


async def main() -> None:
    unique = uuid.uuid4().hex[:8]
    secret_name, fs_name, conn_name = f"py-secret-{unique}", f"py-fs-{unique}", f"py-conn-{unique}"

    await Secret(value="sk-python").save(secret_name)
    loaded = await Secret.load(secret_name)
    check(loaded.get() == "sk-python", f"Secret.load() gave {loaded.get()!r}")
    await Secret(value="sk-rotated").save(secret_name, overwrite=True)
    check((await Secret.load(secret_name)).get() == "sk-rotated", "Secret.save(overwrite=True) did not replace the value")

    await LocalFileSystem(basepath="/tmp/py-blocks").save(fs_name)
    fs = await LocalFileSystem.load(fs_name)
    check(fs.basepath == "/tmp/py-blocks", f"LocalFileSystem.load() gave basepath {fs.basepath!r}")

    credentials = SwiftCheckCredentials(username="py", password="hunter2")
    await credentials.save(f"py-creds-{unique}")
    await SwiftCheckConnection(host="db", credentials=credentials).save(conn_name)
    connection = await SwiftCheckConnection.load(conn_name)
    check(connection.credentials.username == "py", "the nested block did not load")
    check(connection.credentials.password.get_secret_value() == "hunter2", "the nested block's secret did not load")

    async with get_client() as client:
        document = await client.read_block_document_by_name(conn_name, "swiftcheckconnection", include_secrets=False)
        check(document.data["credentials"]["password"] == "********", "a secret was not obfuscated without include_secrets")
        check("credentials" in document.block_document_references, "the nested block was not stored as a reference")
        secret_type = await client.read_block_type_by_slug("secret")
        check(secret_type.is_protected, "the Secret block type is not protected")


if __name__ == "__main__":
    asyncio.run(main())
    print("check-python-blocks: Secret, LocalFileSystem and a nested block saved and loaded through Prefect's Python blocks")
