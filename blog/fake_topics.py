"""What fake posts and talks are about (see blog/fake_writing.py): topics with their name, tips, a code
snippet and a link in English and Spanish, and for some of them a real conference talk about the same thing.

A topic's ``names`` appear in every title and every body written about it. Names, tips and sentences are plain
text with inline Markdown only (code spans, emphasis), never a character Markdown would escape (&, <, >), so
that blog/fake_writing.py can render each once and assemble posts from the rendered pieces.

The videos and slides are public recordings of well-known talks (PyCon, PyData, Strange Loop and others) whose
addresses talks.embeds turns into players.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    key: str
    names: dict  # language -> the topic as it reads inside a sentence ("Django migrations")
    tags: tuple  # hashtags a post about it may end with
    tips: dict  # language -> five list items
    link: tuple  # (English title, Spanish title, address)
    code: tuple  # (language, source) pairs
    videos: tuple = field(default=())
    slides: tuple = field(default=())


def _youtube(video_id):
    return f"https://www.youtube.com/watch?v={video_id}"


TOPICS = (
    Topic(
        key="idioms",
        names={"en": "idiomatic Python", "es": "el Python idiomático"},
        tags=("python", "idioms"),
        tips={
            "en": (
                "Loop over the items, not over `range(len(items))`.",
                "Use `enumerate` when you need the index as well.",
                "Let `zip` walk two lists in step.",
                "Reach for `dict.get` and `collections.defaultdict` before writing an `if` around a key.",
                "Unpack tuples instead of indexing them: `name, email = row`.",
            ),
            "es": (
                "Recorre los elementos, no `range(len(items))`.",
                "Usa `enumerate` cuando también necesites el índice.",
                "Deja que `zip` recorra dos listas a la vez.",
                "Prueba `dict.get` y `collections.defaultdict` antes de escribir un `if` para una clave.",
                "Desempaqueta tuplas en vez de indexarlas: `name, email = row`.",
            ),
        },
        link=("the Python tutorial", "el tutorial de Python", "https://docs.python.org/3/tutorial/"),
        code=(
            (
                "python",
                'colors = ["red", "green", "blue"]\n\nfor index, color in enumerate(colors, start=1):\n'
                '    print(index, color)\n\nfor name, color in zip(["ann", "bob"], colors):\n'
                '    print(f"{name} likes {color}")',
            ),
        ),
        videos=(_youtube("OSGv2VnC0go"),),
    ),
    Topic(
        key="readability",
        names={"en": "readable code", "es": "el código legible"},
        tags=("python", "pep8", "cleancode"),
        tips={
            "en": (
                "Name things for what they are, not for their type.",
                "Keep functions short enough to read without scrolling.",
                "Write the comment that says *why*, and let the code say *what*.",
                "Prefer a plain loop to a clever one-liner nobody can review.",
                "Let the formatter settle the arguments about commas.",
            ),
            "es": (
                "Pon nombres que digan qué es cada cosa, no su tipo.",
                "Mantén las funciones lo bastante cortas para leerlas sin desplazarte.",
                "Escribe el comentario que explica el *porqué*, y deja que el código diga el *qué*.",
                "Prefiere un bucle sencillo a una línea ingeniosa que nadie puede revisar.",
                "Deja que el formateador zanje las discusiones sobre comas.",
            ),
        },
        link=("PEP 8", "la PEP 8", "https://peps.python.org/pep-0008/"),
        code=(
            (
                "python",
                'def overdue(invoices, today):\n    """Invoices past their due date, oldest first."""\n'
                "    late = [invoice for invoice in invoices if invoice.due < today]\n"
                "    return sorted(late, key=lambda invoice: invoice.due)",
            ),
        ),
        videos=(_youtube("wf-BqAjZb8M"),),
    ),
    Topic(
        key="names",
        names={"en": "Python names and values", "es": "los nombres y valores de Python"},
        tags=("python", "beginners"),
        tips={
            "en": (
                "Assignment never copies data: it makes a name refer to a value.",
                "Many names can refer to the same list, so a change shows through all of them.",
                "A default argument is evaluated once: use `None` for a mutable default.",
                "Function arguments are assigned like any other name.",
                "`is` compares identity, `==` compares values.",
            ),
            "es": (
                "Asignar nunca copia datos: hace que un nombre se refiera a un valor.",
                "Varios nombres pueden referirse a la misma lista, y un cambio se ve desde todos.",
                "Un argumento por defecto se evalúa una vez: usa `None` para un valor mutable.",
                "Los argumentos de una función se asignan como cualquier otro nombre.",
                "`is` compara identidad y `==` compara valores.",
            ),
        },
        link=(
            "the data model reference",
            "la referencia del modelo de datos",
            "https://docs.python.org/3/reference/datamodel.html",
        ),
        code=(
            (
                "python",
                "nums = [1, 2, 3]\nother = nums\nother.append(4)\nprint(nums)  # [1, 2, 3, 4]\n\n"
                "def append_to(item, target=None):\n    if target is None:\n        target = []\n"
                "    target.append(item)\n    return target",
            ),
        ),
        videos=(_youtube("_AEJHKGk9ns"),),
        slides=("https://nedbatchelder.com/text/names1.html",),
    ),
    Topic(
        key="concurrency",
        names={"en": "concurrency in Python", "es": "la concurrencia en Python"},
        tags=("python", "asyncio", "concurrency"),
        tips={
            "en": (
                "Threads help when you wait on the network, not when you crunch numbers.",
                "Use a process pool for CPU-bound work.",
                "With `asyncio`, one blocking call stalls every task.",
                "Put a timeout on everything that talks to another machine.",
                "Measure before and after: concurrency makes some programs slower.",
            ),
            "es": (
                "Los hilos ayudan cuando esperas a la red, no cuando haces cálculos.",
                "Usa un pool de procesos para el trabajo que consume CPU.",
                "Con `asyncio`, una sola llamada bloqueante detiene todas las tareas.",
                "Pon un tiempo de espera a todo lo que habla con otra máquina.",
                "Mide antes y después: la concurrencia hace más lentos algunos programas.",
            ),
        },
        link=(
            "the asyncio documentation",
            "la documentación de asyncio",
            "https://docs.python.org/3/library/asyncio.html",
        ),
        code=(
            (
                "python",
                "import asyncio\n\nasync def fetch(name, delay):\n    await asyncio.sleep(delay)\n"
                "    return name\n\nasync def main():\n"
                '    results = await asyncio.gather(fetch("a", 1), fetch("b", 1))\n    print(results)\n\n'
                "asyncio.run(main())",
            ),
        ),
        videos=(_youtube("MCs5OvhV9S4"),),
        slides=("https://github.com/dabeaz/concurrencylive",),
    ),
    Topic(
        key="classes",
        names={"en": "writing classes", "es": "escribir clases"},
        tags=("python", "design"),
        tips={
            "en": (
                "A class with two methods, one of them `__init__`, is usually a function.",
                "Keep state where it is used; a module is already a namespace.",
                "Use the standard library's exceptions before inventing your own.",
                "Reach for a class when several functions share the same data.",
                "Delete code you do not need yet.",
            ),
            "es": (
                "Una clase con dos métodos, uno de ellos `__init__`, suele ser una función.",
                "Guarda el estado donde se usa; un módulo ya es un espacio de nombres.",
                "Usa las excepciones de la biblioteca estándar antes de inventar las tuyas.",
                "Recurre a una clase cuando varias funciones comparten los mismos datos.",
                "Borra el código que todavía no necesitas.",
            ),
        },
        link=(
            "the classes tutorial",
            "el tutorial de clases",
            "https://docs.python.org/3/tutorial/classes.html",
        ),
        code=(
            (
                "python",
                "# Before: a class that is really a function\nclass Greeting:\n    def "
                "__init__(self, word):\n"
                "        self.word = word\n\n    def greet(self, name):\n        return "
                'f"{self.word}, {name}!"\n\n'
                '# After\ndef greet(name, word="Hello"):\n    return f"{word}, {name}!"',
            ),
        ),
        videos=(_youtube("o9pEzgHorH0"),),
    ),
    Topic(
        key="unicode",
        names={"en": "Unicode", "es": "Unicode"},
        tags=("python", "unicode", "text"),
        tips={
            "en": (
                "Decode bytes as they come in and encode text as it goes out.",
                "Inside the program, work with `str` only.",
                'Always say which encoding you mean: `open(path, encoding="utf-8")`.',
                "Test with names like Zoë, Łukasz and 李.",
                "Normalise text before comparing it: `unicodedata.normalize`.",
            ),
            "es": (
                "Decodifica los bytes al entrar y codifica el texto al salir.",
                "Dentro del programa, trabaja solo con `str`.",
                'Di siempre qué codificación quieres: `open(path, encoding="utf-8")`.',
                "Prueba con nombres como Zoë, Łukasz y 李.",
                "Normaliza el texto antes de compararlo: `unicodedata.normalize`.",
            ),
        },
        link=("the Unicode HOWTO", "la guía de Unicode", "https://docs.python.org/3/howto/unicode.html"),
        code=(
            (
                "python",
                'data = "café".encode("utf-8")\nprint(data)          # b\'caf\\xc3\\xa9\'\n'
                'print(data.decode("utf-8"))\n\nimport unicodedata\n'
                'print(unicodedata.normalize("NFC", "cafe\\u0301") == "café")',
            ),
        ),
        videos=(_youtube("sgHbC6udIqc"),),
        slides=("https://nedbatchelder.com/text/unipain.html",),
    ),
    Topic(
        key="dictionaries",
        names={"en": "Python dictionaries", "es": "los diccionarios de Python"},
        tags=("python", "datastructures"),
        tips={
            "en": (
                "Dictionaries keep insertion order since Python 3.7.",
                "Key lookup takes the same time however big the dictionary grows.",
                "Use `setdefault` or `defaultdict` to group items.",
                "Merge two dictionaries with `a | b`.",
                "Keys must be hashable: tuples yes, lists no.",
            ),
            "es": (
                "Los diccionarios conservan el orden de inserción desde Python 3.7.",
                "Buscar una clave cuesta lo mismo por grande que sea el diccionario.",
                "Usa `setdefault` o `defaultdict` para agrupar elementos.",
                "Une dos diccionarios con `a | b`.",
                "Las claves deben ser hashables: las tuplas sí, las listas no.",
            ),
        },
        link=(
            "the dict documentation",
            "la documentación de dict",
            "https://docs.python.org/3/library/stdtypes.html#mapping-types-dict",
        ),
        code=(
            (
                "python",
                "from collections import defaultdict\n\nby_city = defaultdict(list)\n"
                'for person, city in [("ana", "Madrid"), ("tom", "Leeds"), ("eva", "Madrid")]:\n'
                "    by_city[city].append(person)\n\nprint(dict(by_city))",
            ),
        ),
        videos=(_youtube("npw4s1QTmPg"),),
    ),
    Topic(
        key="testing",
        names={"en": "automated testing", "es": "los tests automáticos"},
        tags=("python", "testing", "pytest"),
        tips={
            "en": (
                "Test behaviour, not implementation details.",
                "One behaviour per test, named for it.",
                "Keep the slow tests apart so the fast ones run on every save.",
                "A test that never failed has not been tested itself.",
                "Use fixtures for setup, not giant base classes.",
            ),
            "es": (
                "Prueba el comportamiento, no los detalles de implementación.",
                "Un comportamiento por test, con un nombre que lo diga.",
                "Separa los tests lentos para que los rápidos se ejecuten cada vez que guardas.",
                "Un test que nunca ha fallado no se ha probado a sí mismo.",
                "Usa fixtures para preparar los datos, no clases base gigantes.",
            ),
        },
        link=("the pytest documentation", "la documentación de pytest", "https://docs.pytest.org/"),
        code=(
            (
                "python",
                'import pytest\n\n@pytest.mark.parametrize("text, expected", [("3", 3), (" 7 ", 7)])\n'
                "def test_parse_reads_whole_numbers(text, expected):\n    assert parse(text) == expected\n\n"
                "def test_parse_rejects_words():\n    with pytest.raises(ValueError):\n        "
                'parse("seven")',
            ),
        ),
        videos=(_youtube("FxSsnHeWQBY"),),
        slides=("https://nedbatchelder.com/text/test0.html",),
    ),
    Topic(
        key="dataclasses",
        names={"en": "dataclasses", "es": "las dataclasses"},
        tags=("python", "dataclasses"),
        tips={
            "en": (
                "A dataclass writes `__init__`, `__repr__` and `__eq__` for you.",
                "Use `frozen=True` for values that must not change.",
                "Give mutable defaults with `field(default_factory=list)`.",
                "Add `slots=True` when you create millions of them.",
                "`dataclasses.replace` makes a changed copy.",
            ),
            "es": (
                "Una dataclass escribe `__init__`, `__repr__` y `__eq__` por ti.",
                "Usa `frozen=True` para valores que no deben cambiar.",
                "Da valores mutables por defecto con `field(default_factory=list)`.",
                "Añade `slots=True` cuando crees millones de ellas.",
                "`dataclasses.replace` crea una copia con cambios.",
            ),
        },
        link=(
            "the dataclasses documentation",
            "la documentación de dataclasses",
            "https://docs.python.org/3/library/dataclasses.html",
        ),
        code=(
            (
                "python",
                "from dataclasses import dataclass, field\n\n@dataclass(frozen=True, slots=True)\n"
                "class Point:\n    x: float\n    y: float\n    tags: list = field(default_factory=list)\n\n"
                "print(Point(1.5, 2.0))",
            ),
        ),
        videos=(_youtube("T-TwcmT6Rcw"),),
    ),
    Topic(
        key="memory",
        names={"en": "memory management in Python", "es": "la gestión de memoria en Python"},
        tags=("python", "performance", "cpython"),
        tips={
            "en": (
                "CPython frees most objects as soon as their reference count drops to zero.",
                "The cycle collector cleans up objects that refer to each other.",
                "`__slots__` saves memory when you create many small objects.",
                "`tracemalloc` tells you which line allocated the memory.",
                "Generators keep one item in memory instead of the whole list.",
            ),
            "es": (
                "CPython libera casi todos los objetos en cuanto su contador de referencias llega a cero.",
                "El recolector de ciclos limpia los objetos que se refieren entre sí.",
                "`__slots__` ahorra memoria cuando creas muchos objetos pequeños.",
                "`tracemalloc` te dice qué línea reservó la memoria.",
                "Los generadores guardan un elemento en memoria en vez de toda la lista.",
            ),
        },
        link=(
            "the tracemalloc documentation",
            "la documentación de tracemalloc",
            "https://docs.python.org/3/library/tracemalloc.html",
        ),
        code=(
            (
                "python",
                "import tracemalloc\n\ntracemalloc.start()\nrows = [str(number) * 10 for number in "
                "range(100_000)]\n"
                'snapshot = tracemalloc.take_snapshot()\nfor stat in snapshot.statistics("lineno")[:3]:\n'
                "    print(stat)",
            ),
        ),
        videos=(_youtube("F6u5rhUQ6dU"),),
        slides=("https://speakerdeck.com/pycon2016/nina-zakharenko-memory-management-in-python-the-basics",),
    ),
    Topic(
        key="statistics",
        names={"en": "statistics for programmers", "es": "la estadística para programadores"},
        tags=("python", "statistics", "datascience"),
        tips={
            "en": (
                "If you can write a for loop, you can run a simulation.",
                "Shuffle the labels to see whether a difference could be chance.",
                "Bootstrap a confidence interval by resampling your data.",
                "Plot the data before you summarise it.",
                "An average hides the outliers: look at the percentiles too.",
            ),
            "es": (
                "Si sabes escribir un bucle for, sabes hacer una simulación.",
                "Baraja las etiquetas para ver si una diferencia puede ser casualidad.",
                "Calcula un intervalo de confianza con bootstrap, remuestreando tus datos.",
                "Dibuja los datos antes de resumirlos.",
                "La media esconde los valores extremos: mira también los percentiles.",
            ),
        },
        link=(
            "the statistics module",
            "el módulo statistics",
            "https://docs.python.org/3/library/statistics.html",
        ),
        code=(
            (
                "python",
                "import random\n\nheads = [sum(random.random() < 0.5 for _ in range(30)) for _ in "
                "range(10_000)]\n"
                "share = sum(count >= 22 for count in heads) / len(heads)\n"
                'print(f"22 heads or more by chance: {share:.2%}")',
            ),
        ),
        videos=(_youtube("Iq9DzN6mvYA"),),
        slides=("https://speakerdeck.com/jakevdp/statistics-for-hackers",),
    ),
    Topic(
        key="dependencies",
        names={"en": "dependency management", "es": "la gestión de dependencias"},
        tags=("python", "packaging"),
        tips={
            "en": (
                "Pin every dependency of an application, transitive ones included.",
                "Keep the development tools in a file of their own.",
                "Update one thing at a time, with the tests running.",
                "Read the changelog before a major version bump.",
                "A virtual environment per project, always.",
            ),
            "es": (
                "Fija la versión de cada dependencia de una aplicación, también las transitivas.",
                "Guarda las herramientas de desarrollo en un archivo aparte.",
                "Actualiza una cosa cada vez, con los tests en marcha.",
                "Lee el registro de cambios antes de subir de versión mayor.",
                "Un entorno virtual por proyecto, siempre.",
            ),
        },
        link=(
            "the Python Packaging User Guide",
            "la guía de empaquetado de Python",
            "https://packaging.python.org/",
        ),
        code=(
            (
                "bash",
                "python -m venv .venv\n. .venv/bin/activate\npython -m pip install -r requirements.txt\n"
                "python -m pip list --outdated",
            ),
            (
                "toml",
                '[project]\nname = "flasky"\nrequires-python = ">=3.12"\ndependencies = [\n'
                '    "Django==5.2.*",\n    "Markdown==3.*",\n]',
            ),
        ),
        slides=("https://speakerdeck.com/player/ee6c0016a8f44dd98900659d225b6925",),
    ),
    Topic(
        key="feedback",
        names={"en": "fast feedback loops", "es": "los ciclos de respuesta rápidos"},
        tags=("programming", "tools"),
        tips={
            "en": (
                "Make the change visible the moment you make it.",
                "Keep a REPL open next to the editor.",
                "Let the test runner watch your files.",
                "Shorten the path from commit to production.",
                "Automate whatever you do by hand twice a week.",
            ),
            "es": (
                "Haz que el cambio se vea en el momento en que lo haces.",
                "Ten un REPL abierto junto al editor.",
                "Deja que el ejecutor de tests vigile tus archivos.",
                "Acorta el camino entre el commit y producción.",
                "Automatiza lo que haces a mano dos veces por semana.",
            ),
        },
        link=(
            "the Python REPL documentation",
            "la documentación del intérprete interactivo",
            "https://docs.python.org/3/tutorial/interpreter.html",
        ),
        code=(
            ("bash", 'python -m pytest -x --lf -q\npython -X importtime -c "import django" 2> imports.log'),
        ),
        videos=("https://vimeo.com/36579366", "https://vimeo.com/71278954"),
    ),
    Topic(
        key="localfirst",
        names={"en": "local-first software", "es": "el software local-first"},
        tags=("crdt", "localfirst", "sync"),
        tips={
            "en": (
                "Keep the user's data on their device and sync it in the background.",
                "A CRDT merges concurrent edits without a central server deciding.",
                "Work offline first; the network is an optimisation.",
                "Store the history of changes, not only the latest state.",
                "Plan how two versions of the app read each other's data.",
            ),
            "es": (
                "Guarda los datos del usuario en su dispositivo y sincronízalos en segundo plano.",
                "Un CRDT combina ediciones concurrentes sin que decida un servidor central.",
                "Trabaja sin conexión primero; la red es una optimización.",
                "Guarda el historial de cambios, no solo el último estado.",
                "Planifica cómo leen dos versiones de la aplicación los datos de la otra.",
            ),
        },
        link=(
            "the Ink and Switch essay",
            "el ensayo de Ink and Switch",
            "https://www.inkandswitch.com/local-first/",
        ),
        code=(
            (
                "javascript",
                "// Each replica counts its own increments; merging takes the maximum per replica.\n"
                "function merge(a, b) {\n  const result = { ...a };\n  for (const [id, count] of "
                "Object.entries(b)) {\n"
                "    result[id] = Math.max(result[id] ?? 0, count);\n  }\n  return result;\n}",
            ),
        ),
        slides=("https://speakerdeck.com/player/aaaa9966971e4118b69b6717ed0f4034",),
    ),
    Topic(
        key="migrations",
        names={"en": "Django migrations", "es": "las migraciones de Django"},
        tags=("django", "migrations"),
        tips={
            "en": (
                "Read the SQL with `sqlmigrate` before you run a migration in production.",
                "Add a column as nullable first, fill it, then make it required.",
                "Keep data migrations apart from schema migrations.",
                "Never edit a migration that has already been applied somewhere.",
                "Squash old migrations once every environment has run them.",
            ),
            "es": (
                "Lee el SQL con `sqlmigrate` antes de ejecutar una migración en producción.",
                "Añade primero una columna que admita nulos, rellénala y después hazla obligatoria.",
                "Separa las migraciones de datos de las de esquema.",
                "No edites nunca una migración que ya se haya aplicado en algún sitio.",
                "Compacta las migraciones antiguas cuando todos los entornos las hayan ejecutado.",
            ),
        },
        link=(
            "the migrations documentation",
            "la documentación de migraciones",
            "https://docs.djangoproject.com/en/stable/topics/migrations/",
        ),
        code=(
            (
                "bash",
                "python manage.py makemigrations blog\npython manage.py sqlmigrate blog 0042\n"
                "python manage.py migrate --plan",
            ),
            (
                "python",
                "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n"
                '    dependencies = [("blog", "0041_post_language")]\n    operations = [\n'
                '        migrations.AddIndex(\n            model_name="post",\n'
                '            index=models.Index(fields=["-created"], name="post_newest_idx"),\n'
                "        ),\n    ]",
            ),
        ),
    ),
    Topic(
        key="orm",
        names={"en": "the Django ORM", "es": "el ORM de Django"},
        tags=("django", "orm", "performance"),
        tips={
            "en": (
                "Use `select_related` for foreign keys you will display.",
                "Use `prefetch_related` for the many side of a relation.",
                "Count with `annotate`, not with a query per row.",
                "Watch the query count in tests with `django_assert_num_queries`.",
                "`only` and `values` help when rows are wide and pages are long.",
            ),
            "es": (
                "Usa `select_related` para las claves foráneas que vas a mostrar.",
                "Usa `prefetch_related` para el lado «muchos» de una relación.",
                "Cuenta con `annotate`, no con una consulta por fila.",
                "Vigila el número de consultas en los tests con `django_assert_num_queries`.",
                "`only` y `values` ayudan cuando las filas son anchas y las páginas largas.",
            ),
        },
        link=(
            "the database access optimization guide",
            "la guía de optimización del acceso a la base de datos",
            "https://docs.djangoproject.com/en/stable/topics/db/optimization/",
        ),
        code=(
            (
                "python",
                'posts = (\n    Post.objects.select_related("author")\n'
                '    .annotate(comment_count=Count("comments"))\n    .order_by("-created")[:20]\n)\n'
                "for post in posts:  # one query, however many posts\n"
                "    print(post.author.username, post.comment_count)",
            ),
            (
                "sql",
                "EXPLAIN ANALYZE\nSELECT id, title FROM blog_post\nWHERE author_id = 42\n"
                "ORDER BY created DESC\nLIMIT 20;",
            ),
        ),
    ),
    Topic(
        key="caching",
        names={"en": "caching", "es": "la caché"},
        tags=("django", "caching", "redis"),
        tips={
            "en": (
                "Cache what is expensive to build and cheap to store.",
                "Put a version in the key instead of deleting entries.",
                "Set a timeout on every entry, even the ones you invalidate.",
                "Measure the hit rate; a cache nobody reads is just memory.",
                "Never cache a page that shows the visitor's own data under a shared key.",
            ),
            "es": (
                "Guarda en caché lo que es caro de construir y barato de guardar.",
                "Pon una versión en la clave en lugar de borrar entradas.",
                "Pon un tiempo de caducidad a cada entrada, también a las que invalidas.",
                "Mide la tasa de aciertos; una caché que nadie lee solo es memoria.",
                "No guardes nunca bajo una clave compartida una página con los datos del visitante.",
            ),
        },
        link=(
            "the cache framework documentation",
            "la documentación del framework de caché",
            "https://docs.djangoproject.com/en/stable/topics/cache/",
        ),
        code=(
            (
                "python",
                "from django.core.cache import cache\n\ndef card(post):\n"
                '    key = f"post-card:{post.pk}:{post.version}"\n    html = cache.get(key)\n'
                "    if html is None:\n        html = render_card(post)\n        cache.set(key, "
                "html, timeout=3600)\n"
                "    return html",
            ),
        ),
    ),
    Topic(
        key="search",
        names={"en": "full-text search", "es": "la búsqueda de texto completo"},
        tags=("postgresql", "sqlite", "search"),
        tips={
            "en": (
                "Both PostgreSQL and SQLite have full-text search built in.",
                "Stem words in the language the text is written in.",
                "Rank results, then cut them: nobody reads page 40.",
                "Index the title with a higher weight than the body.",
                "Show a snippet with the matching words highlighted.",
            ),
            "es": (
                "Tanto PostgreSQL como SQLite traen búsqueda de texto completo.",
                "Reduce las palabras a su raíz en el idioma en que está escrito el texto.",
                "Ordena los resultados por relevancia y córtalos: nadie lee la página 40.",
                "Indexa el título con más peso que el cuerpo.",
                "Muestra un fragmento con las palabras encontradas resaltadas.",
            ),
        },
        link=(
            "the PostgreSQL text search chapter",
            "el capítulo de búsqueda de texto de PostgreSQL",
            "https://www.postgresql.org/docs/current/textsearch.html",
        ),
        code=(
            (
                "sql",
                "SELECT title, ts_rank(search, query) AS rank\nFROM blog_post,\n"
                "     websearch_to_tsquery('english', 'django caching') AS query\nWHERE search @@ query\n"
                "ORDER BY rank DESC\nLIMIT 10;",
            ),
        ),
    ),
    Topic(
        key="timezones",
        names={"en": "time zones", "es": "las zonas horarias"},
        tags=("python", "datetime", "timezones"),
        tips={
            "en": (
                "Store times in UTC and convert them only to show them.",
                "Use `zoneinfo`, which ships with Python.",
                "Never do arithmetic on local times across a daylight saving change.",
                "Ask people for their time zone by name, not by offset.",
                "Test with a zone whose offset is not a whole hour, such as Asia/Kolkata.",
            ),
            "es": (
                "Guarda las horas en UTC y conviértelas solo para mostrarlas.",
                "Usa `zoneinfo`, que viene con Python.",
                "No hagas cuentas con horas locales que cruzan un cambio de horario.",
                "Pide a cada persona su zona horaria por nombre, no por desfase.",
                "Prueba con una zona cuyo desfase no sea una hora entera, como Asia/Kolkata.",
            ),
        },
        link=(
            "the zoneinfo documentation",
            "la documentación de zoneinfo",
            "https://docs.python.org/3/library/zoneinfo.html",
        ),
        code=(
            (
                "python",
                "from datetime import datetime\nfrom zoneinfo import ZoneInfo\n\n"
                'meeting = datetime(2026, 3, 29, 9, 30, tzinfo=ZoneInfo("Europe/Madrid"))\n'
                'print(meeting.astimezone(ZoneInfo("America/New_York")))',
            ),
        ),
    ),
    Topic(
        key="accessibility",
        names={"en": "web accessibility", "es": "la accesibilidad web"},
        tags=("a11y", "html", "frontend"),
        tips={
            "en": (
                "Every form field needs a label, even when the design hides it.",
                "Use a real `button` for actions and a real link for navigation.",
                "Check the contrast of text in both the light and the dark theme.",
                "Try the whole page with the keyboard alone.",
                "Write alt text that says what the picture shows.",
            ),
            "es": (
                "Cada campo de un formulario necesita una etiqueta, aunque el diseño la oculte.",
                "Usa un `button` de verdad para las acciones y un enlace de verdad para navegar.",
                "Comprueba el contraste del texto en el tema claro y en el oscuro.",
                "Recorre la página entera solo con el teclado.",
                "Escribe un texto alternativo que diga qué muestra la imagen.",
            ),
        },
        link=(
            "the WCAG quick reference",
            "la referencia rápida de las WCAG",
            "https://www.w3.org/WAI/WCAG22/quickref/",
        ),
        code=(
            (
                "html",
                '<label for="email">Email</label>\n<input id="email" type="email" autocomplete="email">\n\n'
                '<button type="submit">Subscribe</button>',
            ),
        ),
    ),
    Topic(
        key="indexes",
        names={"en": "PostgreSQL indexes", "es": "los índices de PostgreSQL"},
        tags=("postgresql", "databases", "performance"),
        tips={
            "en": (
                "Index the columns a page filters and sorts on, in that order.",
                "A partial index keeps a small, hot subset of rows fast.",
                "`EXPLAIN ANALYZE` shows what the planner actually did.",
                "Create indexes `CONCURRENTLY` on a busy table.",
                "Every index slows down writes a little: drop the unused ones.",
            ),
            "es": (
                "Indexa las columnas por las que una página filtra y ordena, en ese orden.",
                "Un índice parcial mantiene rápido un subconjunto pequeño y muy usado de filas.",
                "`EXPLAIN ANALYZE` muestra lo que el planificador hizo de verdad.",
                "Crea los índices con `CONCURRENTLY` en una tabla con mucho tráfico.",
                "Cada índice hace un poco más lentas las escrituras: borra los que no se usan.",
            ),
        },
        link=(
            "the PostgreSQL indexes chapter",
            "el capítulo de índices de PostgreSQL",
            "https://www.postgresql.org/docs/current/indexes.html",
        ),
        code=(
            (
                "sql",
                "CREATE INDEX CONCURRENTLY comment_pending_idx\n    ON blog_comment (post_id, created)\n"
                "    WHERE NOT approved;",
            ),
        ),
    ),
    Topic(
        key="markdown",
        names={"en": "Markdown", "es": "Markdown"},
        tags=("markdown", "security", "writing"),
        tips={
            "en": (
                "Render Markdown once, when the text is saved, not on every page view.",
                "Sanitise the HTML with an allowlist of tags.",
                'Add `rel="nofollow"` to links that visitors wrote.',
                "Fenced code blocks can name their language for highlighting.",
                "Keep headings below the page's own title.",
            ),
            "es": (
                "Convierte el Markdown una vez, al guardar el texto, no en cada visita.",
                "Limpia el HTML con una lista de etiquetas permitidas.",
                'Añade `rel="nofollow"` a los enlaces que escriben los visitantes.',
                "Los bloques de código pueden indicar su lenguaje para resaltarlo.",
                "Deja los encabezados por debajo del título de la página.",
            ),
        },
        link=("the CommonMark spec", "la especificación CommonMark", "https://spec.commonmark.org/"),
        code=(
            (
                "python",
                "import bleach\nimport markdown\n\nhtml = markdown.markdown(text, "
                'extensions=["fenced_code"])\n'
                'safe = bleach.clean(html, tags={"p", "a", "code", "pre", "em"}, strip=True)',
            ),
        ),
    ),
)

# Real quotations (and the Zen of Python), with their Spanish translations.
QUOTES = (
    ("Simple is better than complex.", "Lo simple es mejor que lo complejo.", "The Zen of Python"),
    ("Readability counts.", "La legibilidad cuenta.", "The Zen of Python"),
    (
        "Errors should never pass silently.",
        "Los errores nunca deberían pasar en silencio.",
        "The Zen of Python",
    ),
    (
        "In the face of ambiguity, refuse the temptation to guess.",
        "Ante la ambigüedad, rechaza la tentación de adivinar.",
        "The Zen of Python",
    ),
    (
        "Premature optimization is the root of all evil.",
        "La optimización prematura es la raíz de todos los males.",
        "Donald Knuth",
    ),
    (
        "Make it work, make it right, make it fast.",
        "Haz que funcione, hazlo bien, hazlo rápido.",
        "Kent Beck",
    ),
    (
        "There are only two hard things in Computer Science: cache invalidation and naming things.",
        "Solo hay dos cosas difíciles en informática: invalidar cachés y poner nombres.",
        "Phil Karlton",
    ),
    (
        "Programs must be written for people to read, and only incidentally for machines to execute.",
        "Los programas deben escribirse para que los lean personas, y solo de paso para que los "
        "ejecuten máquinas.",
        "Harold Abelson",
    ),
    (
        "Any fool can write code that a computer can understand. Good programmers write code that humans can "
        "understand.",
        "Cualquier tonto puede escribir código que entienda un ordenador. Los buenos programadores "
        "escriben código "
        "que entienden las personas.",
        "Martin Fowler",
    ),
    (
        "Debugging is twice as hard as writing the code in the first place.",
        "Depurar es el doble de difícil que escribir el código.",
        "Brian Kernighan",
    ),
    (
        "Walking on water and developing software from a specification are easy if both are frozen.",
        "Caminar sobre el agua y desarrollar software a partir de una especificación es fácil si ambas están "
        "congeladas.",
        "Edward V. Berard",
    ),
    (
        "The most important property of a program is whether it accomplishes the intention of its user.",
        "La propiedad más importante de un programa es si cumple la intención de quien lo usa.",
        "C.A.R. Hoare",
    ),
)
