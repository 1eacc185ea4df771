"""Draw the showcase's pictures (PNG, no dependencies): run once, the files are committed.

Photos are 3:2 scenes of flat colour bands; figures are simple bar and line charts.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "showcase" / "files" / "images"
Pixel = tuple[int, int, int]


class Canvas:
    def __init__(self, width: int, height: int, fill: Pixel) -> None:
        self.width, self.height = width, height
        self.rows = [bytearray(bytes(fill) * width) for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: Pixel) -> None:
        for y in range(max(0, y0), min(self.height, y1)):
            row = self.rows[y]
            for x in range(max(0, x0), min(self.width, x1)):
                row[3 * x : 3 * x + 3] = bytes(colour)

    def save(self, name: str) -> None:
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)

        def chunk(kind: bytes, data: bytes) -> bytes:
            crc = zlib.crc32(kind + data) & 0xFFFFFFFF
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
        data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
        (OUT / name).write_bytes(data)


def scene(name: str, sky: Pixel, sea: Pixel, land: Pixel, tower: bool) -> None:
    c = Canvas(600, 400, sky)
    for i in range(8):  # a graded sky
        shade = tuple(min(255, v + 6 * i) for v in sky)
        c.rect(0, 25 * i, 600, 25 * (i + 1), shade)  # type: ignore[arg-type]
    c.rect(0, 230, 600, 400, sea)
    c.rect(0, 300, 260, 400, land)
    if tower:
        c.rect(150, 120, 185, 300, (240, 240, 235))
        c.rect(150, 160, 185, 175, (200, 40, 40))
        c.rect(145, 105, 190, 122, (60, 60, 60))
    else:
        c.rect(330, 250, 470, 275, (120, 70, 40))  # a boat
        c.rect(395, 170, 400, 250, (90, 60, 40))
    c.save(name)


def bar_chart(name: str, values: list[int], colour: Pixel) -> None:
    c = Canvas(800, 450, (255, 255, 255))
    c.rect(60, 30, 62, 400, (0, 0, 0))
    c.rect(60, 398, 770, 400, (0, 0, 0))
    width = 680 // len(values)
    top = max(values)
    for i, v in enumerate(values):
        h = int(350 * v / top)
        c.rect(70 + i * width, 398 - h, 70 + i * width + width - 12, 398, colour)
    c.save(name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    scene("lighthouse.png", (120, 170, 215), (40, 90, 140), (90, 120, 70), tower=True)
    scene("harbour-boat.png", (230, 170, 120), (60, 80, 120), (110, 100, 80), tower=False)
    scene("keepers-cottage.png", (150, 160, 175), (70, 100, 120), (80, 110, 60), tower=True)
    scene("automatic-light.png", (70, 60, 110), (30, 40, 70), (60, 70, 50), tower=True)
    bar_chart("keepers-by-decade.png", [41, 48, 52, 47, 39, 30, 22, 12, 5], (70, 110, 160))
    bar_chart("wrecks-by-coast.png", [17, 9, 23, 6, 12], (180, 90, 60))


if __name__ == "__main__":
    main()
