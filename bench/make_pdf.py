"""Writes a text-and-figure PDF for the PDF bench: every page a title, about 50 lines of justified body text (Times,
Helvetica), a vector bar chart and a photo (a JPEG made with Pillow, different on each page), on US letter.
Usage: make_pdf.py PAGES OUT.pdf"""
import io
import random
import sys

from PIL import Image, ImageDraw, ImageFilter

WORDS = ("vision model page invoice total contract table figure results method latency memory render sample "
         "document layout column section value measured baseline throughput answer prompt image token budget").split()


def photo(seed):
    rng = random.Random(seed)
    im = Image.new("RGB", (480, 320), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(im)
    for _ in range(40):
        x, y, r = rng.randrange(480), rng.randrange(320), rng.randrange(10, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    im = im.filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise((480, 320), 30).convert("RGB")
    out = io.BytesIO()
    Image.blend(im, noise, 0.15).save(out, "JPEG", quality=88)
    return out.getvalue()


def page_content(number, rng):
    ops = ["BT /F2 16 Tf 72 740 Td (Section %d: measured results of the page renderer) Tj ET" % number]
    y = 712
    for line in range(50):
        if 430 <= y <= 640:  # the figures sit here
            y = 420
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(11, 15)))
        ops.append("BT /F1 9.5 Tf 72 %d Td (%s) Tj ET" % (y, words))
        y -= 11.5
        if y < 60:
            break
    # A bar chart: axes, twelve bars, grid lines and labels.
    ops.append("0.2 w 0 0 0 RG 80 450 m 80 630 l 300 630 m 80 450 m 300 450 l S")
    for i in range(12):
        height = rng.randrange(20, 170)
        ops.append("%.2f %.2f %.2f rg %d 450 14 %d re f" % (rng.random(), rng.random(), rng.random(), 86 + i * 18, height))
    ops.append("0 g")
    for tick in range(5):
        ops.append("0.7 G 0.1 w 80 %d m 300 %d l S" % (450 + tick * 40, 450 + tick * 40))
        ops.append("BT /F1 6 Tf 62 %d Td (%d) Tj ET" % (448 + tick * 40, tick * 25))
    ops.append("q 240 0 0 160 320 460 cm /Im1 Do Q")
    ops.append("BT /F2 8 Tf 320 448 Td (Figure %d. A photo, and a chart beside it.) Tj ET" % number)
    return "\n".join(ops).encode()


def main():
    pages, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(19)
    objects = []

    def add(body, stream=None):
        if stream is not None:
            body = body + b"\nstream\n" + stream + b"\nendstream"
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    times = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>")
    helvetica = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    tree = len(objects) + 1 + 3 * pages
    kids = []
    for number in range(1, pages + 1):
        jpeg = photo(number)
        image = add(b"<< /Type /XObject /Subtype /Image /Width 480 /Height 320 /ColorSpace /DeviceRGB "
                    b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>" % len(jpeg), jpeg)
        content = page_content(number, rng)
        stream = add(b"<< /Length %d >>" % len(content), content)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R "
                        b"/F2 %d 0 R >> /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (tree, times, helvetica, image, stream)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)) == tree
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for index, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (index + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
