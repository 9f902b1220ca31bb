"""The simulator as its own process, standing in for a remote FinerWorks with a fixed latency on every answer.

    python -m bench.simulator_process PORT LATENCY_SECONDS [IMAGES]

Its own process, so its work runs beside the server's (as FinerWorks' does) instead of inside the measured one.
With IMAGES, the library is filled up to that many images and every image has a product made from it, so a scan for
images without products reads every page and plans nothing.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from finerworks_mcp.simulator import SimulatorState, seed, serve

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0


def fill_library(state: SimulatorState, images: int) -> None:
    """Add copies of the seeded images (new ids and guids) until there are `images`; give each image that has no
    product one."""
    originals = list(state.images.values())
    for number in range(len(originals), images):
        image_id = state.next_id("image")
        image = dataclasses.replace(
            originals[number % len(originals)], id=image_id, guid=seed.stable_guid("bench-image", image_id)
        )
        state.images[image.guid] = image
    product = next(iter(state.products.values()))
    with_products = {each.image_guid for each in state.products.values()}
    for image in [image for image in state.images.values() if image.guid not in with_products]:
        product_id = state.next_id("product")
        sku = f"AP{image.id}P{product_id}"
        state.products[sku] = dataclasses.replace(
            product,
            id=product_id,
            sku=sku,
            product_guid=seed.stable_guid("bench-product", product_id),
            image_guid=image.guid,
        )


def main(port: int, latency: float, images: int = 0) -> None:
    state = SimulatorState()
    if images:
        fill_library(state, images)
    if latency > 0:
        state.faults.add("latency", seconds=latency, times=None)
    serve(host=HOST, port=port, state=state)


@contextmanager
def running(latency: float, images: int = 0) -> Iterator[str]:
    """A simulator process answering after `latency` seconds; yields its base URL (FINERWORKS_BASE_URL)."""
    from bench.stdio import ROOT

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.simulator_process", str(port), str(latency), str(images)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the simulator process did not start") from None
                time.sleep(0.05)
        yield f"http://{HOST}:{port}/v3"
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
