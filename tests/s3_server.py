"""An S3-compatible HTTP endpoint on loopback for the HQ tests and the load test: moto's
server mode (``moto.server.ThreadedMotoServer``), keeping its objects in this process."""

from __future__ import annotations

import socket
from collections.abc import MutableMapping


class S3Server:
    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def environ(self, env: MutableMapping[str, str]) -> None:
        """The standard AWS variables that point boto3 (here and in receivers started later) at this server."""
        env.update({"AWS_ENDPOINT_URL_S3": self.url, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                    "AWS_DEFAULT_REGION": "us-east-1"})

    def new_bucket(self, name: str) -> str:
        """A new bucket; the ``s3://`` address of a prefix in it."""
        import boto3

        boto3.client("s3", endpoint_url=self.url, region_name="us-east-1", aws_access_key_id="test",
                     aws_secret_access_key="test").create_bucket(Bucket=name)
        return f"s3://{name}/hq"

    def stop(self) -> None:
        self._server.stop()


def start() -> S3Server:
    return S3Server()


__all__ = ["S3Server", "start"]
