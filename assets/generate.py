#!/usr/bin/env python3
"""Regenerates the sample images in this folder (needs Pillow).

Valid portraits in every supported format, boundary cases for the size and
aspect-ratio rules, and invalid inputs (unsupported format, HTML, truncated).
Images are flat-coloured so they stay a few kilobytes each.
"""
from pathlib import Path
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent


def portrait(w, h, hue=0):
    colours = [(70, 110, 160), (160, 90, 70), (80, 140, 90), (140, 100, 150)]
    bg = colours[hue % len(colours)]
    img = Image.new("RGB", (w, h), bg)
    d = ImageDraw.Draw(img)
    cx, r = w // 2, min(w, h) // 6
    d.ellipse([cx - r, h // 4 - r, cx + r, h // 4 + r], fill=(235, 205, 180))
    d.rectangle([cx - 2 * r, h // 4 + r + 10, cx + 2 * r, h], fill=(40, 40, 60))
    return img


def main():
    valid = {
        "portrait.png": ("PNG", 800, 1000, {}),
        "portrait.jpg": ("JPEG", 768, 1024, {"quality": 60}),
        "portrait.webp": ("WEBP", 720, 960, {"quality": 50}),
        "portrait.gif": ("GIF", 640, 800, {}),
        "portrait.tiff": ("TIFF", 640, 800, {"compression": "tiff_deflate"}),
    }
    for i, (name, (fmt, w, h, opts)) in enumerate(valid.items()):
        portrait(w, h, i).save(HERE / name, fmt, **opts)
    # 1-bit BMP keeps the uncompressed format small.
    portrait(320, 400).convert("1").save(HERE / "portrait.bmp", "BMP")

    boundaries = [
        (299, 400), (300, 400), (301, 400),
        (5999, 3000), (6000, 3000),
        (400, 1000), (401, 1000), (2499, 1000), (2500, 1000),
        (6000, 6000),
    ]
    for w, h in boundaries:
        Image.new("L", (w, h), 128).save(HERE / f"edge-{w}x{h}.png", "PNG", optimize=True)

    portrait(256, 256).save(HERE / "unsupported.ico", "ICO", sizes=[(256, 256)])
    (HERE / "not-an-image.html").write_text("<!doctype html><html><body>Not found</body></html>\n")
    data = (HERE / "portrait.png").read_bytes()
    (HERE / "truncated.png").write_bytes(data[:12])
    # A valid PNG behind the wrong extension: the header decides, not the name.
    (HERE / "really-a-png.jpg").write_bytes(data)


if __name__ == "__main__":
    main()
