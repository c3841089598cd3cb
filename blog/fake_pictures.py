"""Pictures for fake posts, drawn locally with Pillow (a gradient and a few shapes), with alt text that says
what they show in the post's language. They go through blog.pictures.process_picture, as uploads do."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from blog.pictures import process_picture

# (English name, Spanish name, RGB)
COLOURS = (
    ("teal", "verde azulado", (0, 128, 128)),
    ("orange", "naranja", (245, 140, 30)),
    ("deep blue", "azul oscuro", (25, 45, 120)),
    ("pink", "rosa", (230, 110, 160)),
    ("yellow", "amarillo", (240, 210, 60)),
    ("purple", "morado", (110, 50, 150)),
    ("green", "verde", (40, 150, 70)),
    ("red", "rojo", (200, 40, 40)),
)
SHAPES = {
    "circle": ("circles", "círculos superpuestos"),
    "square": ("squares", "cuadrados superpuestos"),
    "line": ("diagonal stripes", "franjas diagonales superpuestas"),
}
COUNT_WORDS = {
    "en": {2: "two", 3: "three", 4: "four", 5: "five"},
    "es": {2: "dos", 3: "tres", 4: "cuatro", 5: "cinco"},
}
SIZE = (960, 540)


def fake_picture(rng, language):
    """A (blog.pictures.Processed, alt text) pair, as publish_post takes them."""
    start, end, shape_colour = rng.sample(COLOURS, 3)
    shape = rng.choice(list(SHAPES))
    count = rng.randint(2, 5)
    image = _gradient(start[2], end[2], vertical=rng.random() < 0.5)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(count):
        _draw_shape(draw, rng, shape, shape_colour[2])
    output = io.BytesIO()
    image.save(output, format="PNG")
    upload = SimpleUploadedFile("drawing.png", output.getvalue(), content_type="image/png")
    return process_picture(upload), _alt(language, start, end, shape_colour, shape, count)


def _gradient(start, end, *, vertical):
    width, height = SIZE
    steps = height if vertical else width
    line = Image.new("RGB", (1, steps) if vertical else (steps, 1))
    line.putdata(
        [
            tuple(round(a + (b - a) * index / (steps - 1)) for a, b in zip(start, end, strict=True))
            for index in range(steps)
        ]
    )
    return line.resize(SIZE)


def _draw_shape(draw, rng, shape, colour):
    width, height = SIZE
    fill = (*colour, rng.randint(140, 220))
    x, y = rng.randint(0, width), rng.randint(0, height)
    size = rng.randint(60, 220)
    if shape == "circle":
        draw.ellipse((x - size, y - size, x + size, y + size), fill=fill)
    elif shape == "square":
        draw.rectangle((x - size, y - size, x + size, y + size), fill=fill)
    else:
        draw.line((x - width, y - width // 2, x + width, y + width // 2), fill=fill, width=size // 3)


def _alt(language, start, end, shape_colour, shape, count):
    number = COUNT_WORDS[language][count]
    if language == "es":
        shapes = f"{number} {SHAPES[shape][1]} de color {shape_colour[1]}"
        return f"Un degradado de {start[1]} a {end[1]} con {shapes}"
    shapes = f"{number} overlapping {shape_colour[0]} {SHAPES[shape][0]}"
    return f"A gradient from {start[0]} to {end[0]} with {shapes}"
