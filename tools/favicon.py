#!/usr/bin/env python3
"""Draws the default theme's icon: themes/default/static/favicon.svg and, from the same
shapes, favicon.png (32x32), apple-touch-icon.png (180x180) and favicon.ico (the 32x32 PNG
inside an ICO). Only the standard library; the same run writes the same bytes, so the
committed files can be checked by running it again (`git diff` shows nothing).

    python3 tools/favicon.py
"""
import math
import os
import struct
import zlib

STATIC = os.path.join(os.path.dirname(__file__), "..", "themes", "default", "static")
SIZE = 64  # the SVG's viewBox
RADIUS = 12  # of the square's corners
BLUE = (0x00, 0x66, 0xCC)  # the theme's --blue
WHITE = (0xFF, 0xFF, 0xFF)


def star():
    """A five-pointed star, point up, in viewBox units (rounded as the SVG writes them)."""
    points = []
    for i in range(10):
        r = 22 if i % 2 == 0 else 9
        a = math.pi / 2 + i * math.pi / 5
        points.append((round(32 + r * math.cos(a), 2), round(34 - r * math.sin(a), 2)))
    return points


def in_square(x, y, radius):
    cx = min(max(x, radius), SIZE - radius)
    cy = min(max(y, radius), SIZE - radius)
    return 0 <= x <= SIZE and 0 <= y <= SIZE and (x - cx) ** 2 + (y - cy) ** 2 <= radius**2


def in_polygon(x, y, poly):
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        (xi, yi), (xj, yj) = poly[i], poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def raster(px, radius):
    """RGBA rows, each pixel averaged over 8x8 samples (straight alpha)."""
    poly, n, rows = star(), 8, []
    for py in range(px):
        row = bytearray([0])  # PNG filter: none
        for qx in range(px):
            square = white = 0
            for sy in range(n):
                for sx in range(n):
                    x = (qx + (sx + 0.5) / n) * SIZE / px
                    y = (py + (sy + 0.5) / n) * SIZE / px
                    if in_square(x, y, radius):
                        square += 1
                        white += in_polygon(x, y, poly)
            if square == 0:
                row += bytes(4)
                continue
            t = white / square
            rgb = [round(b + (w - b) * t) for b, w in zip(BLUE, WHITE)]
            row += bytes(rgb + [round(255 * square / (n * n))])
        rows.append(bytes(row))
    return b"".join(rows)


def png(px, radius=RADIUS):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    head = struct.pack(">IIBBBBB", px, px, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raster(px, radius), 9)) + chunk(b"IEND", b"")


def ico(png32):
    """One 32x32 image, stored as PNG (read by every browser since Internet Explorer 9)."""
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 32, 32, 0, 0, 1, 32, len(png32), 22) + png32


def svg():
    points = " ".join(f"{x:g},{y:g}" for x, y in star())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
        f'<rect width="{SIZE}" height="{SIZE}" rx="{RADIUS}" fill="#0066cc"/>'
        f'<polygon points="{points}" fill="#fff"/></svg>\n'
    )


def write(name, data):
    mode = "w" if isinstance(data, str) else "wb"
    with open(os.path.join(STATIC, name), mode) as f:
        f.write(data)


if __name__ == "__main__":
    small = png(32)
    write("favicon.svg", svg())
    write("favicon.png", small)
    # Square and opaque: iOS rounds the corners itself and shows transparency as black.
    write("apple-touch-icon.png", png(180, radius=0))
    write("favicon.ico", ico(small))
