"""Believable fake posts and comments, composed from topics (blog/fake_topics.py) and fast to render.

A post is an introduction, then some of: a list of tips under a heading, a code example, a quotation, a link
for further reading, thanks to another member; then a closing line with hashtags, all about one topic, in one
language, with a title that names the topic. The parts are drawn with the caller's seeded random generator, so
the same seed writes the same posts, and the number of ways to combine them runs into billions per topic:
bodies do not repeat (``PostWriter.write`` also redraws the rare repeat within one run).

Rendering Markdown costs milliseconds a text, far too slow for 100,000 posts. Every sentence is rendered once
(many in one batch) and posts are assembled from the rendered pieces in the HTML that blog.markdown would
produce for the whole body; the tests compare the two. Mentions are assembled the same way, as links to the
member's profile.
"""

import functools
import weakref
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from blog.fake_topics import QUOTES, TOPICS
from blog.markdown import LINK_REL, render_markdown

LANGUAGES = ("en", "es")
NUMBERS = {
    "en": {3: "Three", 4: "Four", 5: "Five"},
    "es": {3: "Tres", 4: "Cuatro", 5: "Cinco"},
}

# {name} is the topic's name as it reads inside a sentence, {Name} the same at its start, {count} the number
# of tips listed (titles with {count} are used only for posts that list tips).
TITLES = {
    "en": (
        "What I learned about {name} this year",
        "{Name}, step by step",
        "A practical guide to {name}",
        "{Name} in production: lessons learned",
        "Stop fearing {name}",
        "Notes on {name}",
        "How we finally got {name} right",
        "{Name} without the pain",
        "Things nobody told me about {name}",
        "Getting started with {name}",
    ),
    "es": (
        "Lo que aprendí este año sobre {name}",
        "{Name}, paso a paso",
        "Guía práctica sobre {name}",
        "{Name} en producción: lecciones aprendidas",
        "Pierde el miedo a {name}",
        "Apuntes sobre {name}",
        "Cómo conseguimos por fin dominar {name}",
        "{Name} sin sufrir",
        "Lo que nadie me contó sobre {name}",
        "Primeros pasos con {name}",
    ),
}
COUNTED_TITLES = {
    "en": ("{count} things I wish I had known about {name}", "{count} tips for {name}"),
    "es": ("{count} cosas que ojalá hubiera sabido sobre {name}", "{count} consejos sobre {name}"),
}
INTROS = {
    "en": (
        "Last month I spent far too long on {name} at work, so here is what I wish someone had told "
        "me on day one.",
        "{Name} looks simple until it isn't.",
        "A colleague asked me about {name} last week, and my answer grew into this post.",
        "I gave a short talk about {name} at our local meetup; these are the notes, cleaned up.",
        "Every team I have worked with has tripped over {name} at least once.",
        "This is the post about {name} I keep sending to new people on the team.",
        "I used to get {name} wrong in small ways that added up.",
        "If you only have five minutes for {name}, read this.",
        "We rewrote part of our app this spring and {name} turned out to be the interesting part.",
        "Here is how I approach {name} now, after a few mistakes in production.",
        "I have been collecting notes on {name} for a while.",
        "My first attempt at {name} worked, but only on my laptop.",
    ),
    "es": (
        "El mes pasado dediqué demasiado tiempo a {name} en el trabajo, así que aquí va lo que me "
        "habría gustado "
        "saber el primer día.",
        "{Name} parece sencillo hasta que deja de serlo.",
        "La semana pasada una compañera me preguntó por {name} y la respuesta acabó siendo este artículo.",
        "Di una charla corta sobre {name} en el meetup de mi ciudad; estas son las notas, pasadas a limpio.",
        "Todos los equipos en los que he estado han tropezado alguna vez con {name}.",
        "Este es el artículo sobre {name} que siempre paso a quien llega nuevo al equipo.",
        "Antes me equivocaba con {name} en detalles pequeños que acababan sumando.",
        "Si solo tienes cinco minutos para {name}, lee esto.",
        "Esta primavera reescribimos parte de la aplicación y {name} resultó ser lo más interesante.",
        "Así es como abordo ahora {name}, después de unos cuantos errores en producción.",
        "Llevo un tiempo reuniendo notas sobre {name}.",
        "Mi primer intento con {name} funcionaba, pero solo en mi portátil.",
    ),
}
CONTEXTS = {
    "en": (
        "The examples use Python 3.12 and Django 5.2, but the ideas are older than both.",
        "Nothing here needs a cloud account: everything runs on a laptop.",
        "None of this is new, but I rarely see it written down in one place.",
        "It is opinionated; tell me where you disagree.",
        "Most of it came out of code reviews.",
        "I have kept it short on purpose.",
        "Some of it I learned the hard way, on a Friday afternoon.",
        "It assumes you know the basics and want the details.",
        "We run a small site, so your numbers may differ.",
        "Corrections are welcome, as always.",
    ),
    "es": (
        "Los ejemplos usan Python 3.12 y Django 5.2, pero las ideas son más antiguas que ambos.",
        "Nada de esto necesita una cuenta en la nube: todo funciona en un portátil.",
        "Nada de esto es nuevo, pero pocas veces lo veo escrito en un solo sitio.",
        "Es una opinión personal; dime en qué no estás de acuerdo.",
        "Casi todo salió de revisiones de código.",
        "Lo he dejado corto a propósito.",
        "Parte de esto lo aprendí por las malas, un viernes por la tarde.",
        "Doy por hecho que conoces lo básico y quieres los detalles.",
        "Nuestro sitio es pequeño, así que tus cifras pueden ser otras.",
        "Las correcciones son bienvenidas, como siempre.",
    ),
}
TIP_HEADINGS = {
    "en": ("What worked for me", "The short version", "A checklist", "What I do now", "Rules of thumb"),
    "es": (
        "Lo que me funcionó",
        "La versión corta",
        "Una lista de comprobación",
        "Lo que hago ahora",
        "Reglas prácticas",
    ),
}
CODE_HEADINGS = {
    "en": ("An example", "In code", "What it looks like", "A small example"),
    "es": ("Un ejemplo", "En código", "Cómo se ve", "Un ejemplo pequeño"),
}
CODE_INTROS = {
    "en": (
        "Here is the smallest example I could write.",
        "This is roughly what we ended up with.",
        "A few lines say more than a paragraph.",
        "Try this in a shell.",
        "The whole idea fits in one snippet.",
    ),
    "es": (
        "Este es el ejemplo más pequeño que se me ocurre.",
        "Esto es más o menos lo que acabamos teniendo.",
        "Unas pocas líneas dicen más que un párrafo.",
        "Pruébalo en una terminal.",
        "Toda la idea cabe en un fragmento.",
    ),
}
QUOTE_INTROS = {
    "en": ("As the saying goes:", "I keep this quote on a sticky note:", "It reminds me of this:"),
    "es": ("Como dice la frase:", "Tengo esta cita en un pósit:", "Me recuerda a esto:"),
}
LINKS = {
    "en": (
        "For the details, see [{title}]({url}).",
        "[{Title}]({url}) covers the rest better than I could.",
        "If you want to go further, read [{title}]({url}).",
        "I keep [{title}]({url}) open in a tab whenever I work on this.",
    ),
    "es": (
        "Para los detalles, mira [{title}]({url}).",
        "[{Title}]({url}) explica el resto mejor que yo.",
        "Si quieres profundizar, lee [{title}]({url}).",
        "Siempre tengo [{title}]({url}) abierto en una pestaña cuando trabajo en esto.",
    ),
}
ABSTRACT_INTROS = {
    "en": (
        "This talk is a practical tour of {name}, with examples from a real project.",
        "{Name} is easy to start with and hard to get right; this talk shows where the traps are.",
        "In this talk I share what our team learned about {name} over two years in production.",
        "A beginner-friendly talk about {name}: no slides full of theory, just working code.",
    ),
    "es": (
        "Esta charla es un recorrido práctico por {name}, con ejemplos de un proyecto real.",
        "{Name} es fácil para empezar y difícil de hacer bien; en esta charla verás dónde están las trampas.",
        "En esta charla cuento lo que nuestro equipo aprendió sobre {name} en dos años en producción.",
        "Una charla para principiantes sobre {name}: nada de diapositivas llenas de teoría, solo "
        "código que funciona.",
    ),
}
ABSTRACT_HEADINGS = {"en": "What you will learn", "es": "Lo que aprenderás"}
THANKS = {
    "en": (
        "Thanks to {mention} for reading a draft of this.",
        "Thanks to {mention}, who asked the right question.",
    ),
    "es": (
        "Gracias a {mention} por leer un borrador.",
        "Gracias a {mention}, que hizo la pregunta adecuada.",
    ),
}
CLOSINGS = {
    "en": (
        "That is all I have on {name} for now. What would you add?",
        "If {name} bit you in a different way, tell me in the comments.",
        "Next time I will write about what went wrong when we ignored all of this.",
        "Questions about {name} are welcome below.",
        "I hope this saves you an afternoon.",
        "Happy hacking!",
        "Let me know if any of this is out of date.",
        "More on {name} soon.",
    ),
    "es": (
        "Esto es todo lo que tengo sobre {name} por ahora. ¿Qué añadirías tú?",
        "Si {name} te dio problemas de otra manera, cuéntamelo en los comentarios.",
        "La próxima vez escribiré sobre lo que salió mal cuando ignoramos todo esto.",
        "Las preguntas sobre {name} son bienvenidas aquí abajo.",
        "Espero que esto te ahorre una tarde.",
        "¡Feliz programación!",
        "Avísame si algo de esto se ha quedado anticuado.",
        "Pronto más sobre {name}.",
    ),
}
# Comments answer the post: they name its topic. Replies name the comment's author.
COMMENT_OPENERS = {
    "en": (
        "Great write-up on {name}!",
        "Thanks, this is the clearest thing I have read about {name}.",
        "Bookmarked: {name} has been on my list for weeks.",
        "I wish I had read this before our last release.",
        "We do almost exactly this with {name} at work.",
        "Interesting take on {name}.",
        "This matches what I have seen with {name}.",
        "Good post.",
    ),
    "es": (
        "¡Muy buen artículo sobre {name}!",
        "Gracias, es lo más claro que he leído sobre {name}.",
        "Guardado: llevo semanas con {name} en mi lista.",
        "Ojalá lo hubiera leído antes de nuestra última versión.",
        "En el trabajo hacemos casi exactamente esto con {name}.",
        "Interesante enfoque sobre {name}.",
        "Coincide con lo que he visto con {name}.",
        "Buen artículo.",
    ),
}
COMMENT_BODIES = {
    "en": (
        "The part about the list of tips saved me an afternoon.",
        "I would add one thing: write a test first.",
        "We learned the same lesson the hard way.",
        "The code example is exactly what I needed.",
        "I shared it with my team.",
        "I had never thought about it that way.",
        "Do you have numbers from production?",
        "Have you tried it on a bigger project?",
        "How does this work with PostgreSQL?",
        "Would you do anything differently today?",
        "",
    ),
    "es": (
        "La parte de los consejos me ahorró una tarde.",
        "Yo añadiría una cosa: escribe antes un test.",
        "Nosotros aprendimos la misma lección por las malas.",
        "El ejemplo de código es justo lo que necesitaba.",
        "Lo he compartido con mi equipo.",
        "Nunca lo había pensado así.",
        "¿Tienes cifras de producción?",
        "¿Lo has probado en un proyecto más grande?",
        "¿Cómo funciona esto con PostgreSQL?",
        "¿Harías algo distinto hoy?",
        "",
    ),
}
REPLIES = {
    "en": (
        "good question, I was wondering the same.",
        "agreed, that was my experience too.",
        "we tried that and it helped a lot.",
        "thanks, I will give it a go.",
        "not in our case, but it depends on the data.",
        "the docs have a section on exactly that.",
    ),
    "es": (
        "buena pregunta, yo me preguntaba lo mismo.",
        "de acuerdo, es lo que me pasó a mí también.",
        "lo probamos y ayudó mucho.",
        "gracias, lo probaré.",
        "en nuestro caso no, pero depende de los datos.",
        "la documentación tiene una sección justo sobre eso.",
    ),
}


@dataclass(frozen=True)
class Draft:
    """A composed post or comment: its Markdown, the HTML blog.markdown renders for it, and what it "
    "is about."""

    title: str
    body: str
    html: str
    language: str
    topic: object
    tags: tuple = ()
    mentions: tuple = ()  # usernames


class Renderer:
    """Renders each sentence once, in batches, into the inline HTML blog.markdown produces for it."""

    def __init__(self):
        self._inline = {}
        self._blocks = {}

    def prime(self, sentences):
        """Render all of ``sentences`` not rendered yet, as paragraphs of one document (one Markdown run)."""
        todo = [sentence for sentence in dict.fromkeys(sentences) if sentence not in self._inline]
        if not todo:
            return
        lines = render_markdown("\n\n".join(todo)).split("\n")
        if len(lines) == len(todo) and all(
            line.startswith("<p>") and line.endswith("</p>") for line in lines
        ):
            self._inline.update(zip(todo, (line[3:-4] for line in lines), strict=True))
        else:  # a sentence that is more than a paragraph: render each alone
            for sentence in todo:
                self._inline[sentence] = self._render_inline(sentence)

    def inline(self, sentence):
        if sentence not in self._inline:
            self._inline[sentence] = self._render_inline(sentence)
        return self._inline[sentence]

    def block(self, markdown):
        """A block (a fenced code block) rendered whole, once."""
        if markdown not in self._blocks:
            self._blocks[markdown] = render_markdown(markdown)
        return self._blocks[markdown]

    @staticmethod
    def _render_inline(sentence):
        html = render_markdown(sentence)
        return html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html


def mention(username):
    """``@username`` as Markdown and as the link blog.markdown makes of it."""
    url = escape(reverse("profile", args=[username]))
    return f"@{username}", f'<a href="{url}" rel="{LINK_REL}">@{username}</a>'


class _Kit:
    """The pieces of posts and comments about one topic in one language, as (Markdown, HTML) pairs, rendered
    once: composing a post then only picks pieces and joins strings."""

    def __init__(self, topic, language, renderer):
        named = functools.partial(fill, topic=topic, language=language)
        renderer.prime(_sentences(topic, language))
        inline = renderer.inline

        def pairs(sentences):
            return [(sentence, inline(sentence)) for sentence in sentences]

        def paragraph(sentence):
            return sentence, f"<p>{inline(sentence)}</p>"

        def heading(text):
            return f"## {text}", f"<h3>{inline(text)}</h3>"

        self.titles = [named(template) for template in TITLES[language]]
        self.counted_titles = {
            count: [named(template).replace("{count}", word) for template in COUNTED_TITLES[language]]
            for count, word in NUMBERS[language].items()
        }
        self.intros = pairs(named(template) for template in INTROS[language])
        self.contexts = pairs(CONTEXTS[language])
        self.tip_headings = [heading(text) for text in TIP_HEADINGS[language]]
        self.tips = pairs(topic.tips[language])
        self.code_headings = [heading(text) for text in CODE_HEADINGS[language]]
        self.code_intros = [paragraph(sentence) for sentence in CODE_INTROS[language]]
        fences = [f"```{code_language}\n{source}\n```" for code_language, source in topic.code]
        self.fences = [(fence, renderer.block(fence)) for fence in fences]
        self.quote_intros = [paragraph(sentence) for sentence in QUOTE_INTROS[language]]
        self.quotes = []
        for english, spanish, author in QUOTES:
            text = english if language == "en" else spanish
            html = f"<blockquote>\n<p>{inline(text)}</p>\n<p>— {inline(author)}</p>\n</blockquote>"
            self.quotes.append((f"> {text}\n>\n> — {author}", html))
        self.links = [paragraph(_link(template, topic, language)) for template in LINKS[language]]
        self.thanks = []
        for template in THANKS[language]:
            before, after = template.split("{mention}")
            punctuation = after[0] if after[:1] in (",", ".") else ""
            rest = after[len(punctuation) :].strip()
            tail = f"{punctuation} {inline(rest)}" if rest else punctuation
            self.thanks.append((before, after, f"<p>{inline(before.strip())} ", f"{tail}</p>"))
        self.closings = pairs(named(template) for template in CLOSINGS[language])
        self.tags = [(tag, inline(f"#{tag}")) for tag in topic.tags]
        self.openers = pairs(named(template) for template in COMMENT_OPENERS[language])
        self.comment_bodies = [*pairs(filter(None, COMMENT_BODIES[language])), None]
        self.replies = pairs(REPLIES[language])
        self.abstract_intros = pairs(named(template) for template in ABSTRACT_INTROS[language])


class PostWriter:
    """Writes distinct posts and comments with ``rng``; one per run of fakedata (it remembers the bodies)."""

    def __init__(self, rng, renderer=None):
        self.rng = rng
        self.renderer = renderer or Renderer()
        self._seen = set()
        self._kits = {}

    def topic(self):
        return self.rng.choice(TOPICS)

    def kit(self, topic, language):
        key = (topic.key, language)
        if key not in self._kits:
            self._kits[key] = _Kit(topic, language, self.renderer)
        return self._kits[key]

    def write(self, language, *, topic=None, thanks=None, attempts=20):
        """A post in ``language`` about ``topic`` (or a random one), thanking ``thanks`` (a username) if
        given. Never a body written before by this writer (it redraws; after ``attempts`` it adds a line)."""
        topic = topic or self.topic()
        for _ in range(attempts):
            draft = self._compose(language, topic, thanks)
            if hash(draft.body) not in self._seen:
                break
        else:
            draft = self._with_postscript(draft, len(self._seen))
        # Hashes, not bodies: a million posts (bench/load.sh) remember 60 MB, not 700. A collision of two
        # different bodies would only cost a redraw.
        self._seen.add(hash(draft.body))
        return draft

    def comment(self, language, topic, *, reply_to=None):
        """A comment in ``language`` that answers a post about ``topic``, or (given a username) a reply to
        the comment of ``reply_to`` that mentions them."""
        kit, choice = self.kit(topic or TOPICS[0], language), self.rng.choice
        if reply_to:
            source, link = mention(reply_to)
            text, html = choice(kit.replies)
            return Draft("", f"{source} {text}", f"{link} {html}", language, topic, (), (reply_to,))
        opener, second = choice(kit.openers), choice(kit.comment_bodies)
        if second is None:
            return Draft("", opener[0], opener[1], language, topic)
        return Draft("", f"{opener[0]} {second[0]}", f"{opener[1]} {second[1]}", language, topic)

    def abstract(self, language, topic):
        """A talk's abstract about ``topic``: what the talk is, and what you will learn (a list)."""
        kit = self.kit(topic, language)
        intro = self.rng.choice(kit.abstract_intros)
        heading = ABSTRACT_HEADINGS[language]
        tips = self.rng.sample(kit.tips, self.rng.randint(3, 4))
        blocks = [
            (intro[0], f"<p>{intro[1]}</p>"),
            (f"## {heading}", f"<h3>{self.renderer.inline(heading)}</h3>"),
            (
                "\n".join(f"- {tip}" for tip, _html in tips),
                "<ul>\n" + "\n".join(f"<li>{html}</li>" for _tip, html in tips) + "\n</ul>",
            ),
        ]
        body = "\n\n".join(markdown for markdown, _html in blocks)
        return Draft("", body, "\n".join(html for _markdown, html in blocks), language, topic)

    def _compose(self, language, topic, thanks):
        kit = self.kit(topic, language)
        rng = self.rng
        choice, random = rng.choice, rng.random
        blocks = [self._intro(kit)]
        middle = []
        tips = rng.sample(kit.tips, rng.randint(3, 5)) if random() < 0.8 else None
        if tips:
            middle.append(self._tips(kit, tips))
        if random() < 0.6:
            middle.append((choice(kit.code_headings), choice(kit.code_intros), choice(kit.fences)))
        if random() < 0.4:
            middle.append((choice(kit.quote_intros), choice(kit.quotes)))
        if not middle:  # a post has something to say besides its first and last lines
            tips = rng.sample(kit.tips, rng.randint(3, 5))
            middle.append(self._tips(kit, tips))
        rng.shuffle(middle)
        for section in middle:
            blocks += section
        if random() < 0.6:
            blocks.append(choice(kit.links))
        mentions = ()
        if thanks:
            source, link = mention(thanks)
            before, after, html_before, html_after = choice(kit.thanks)
            blocks.append((f"{before}{source}{after}", f"{html_before}{link}{html_after}"))
            mentions = (thanks,)
        tags = rng.sample(kit.tags, rng.randint(1, min(2, len(kit.tags))))
        closing = choice(kit.closings)
        blocks.append(
            (
                " ".join([closing[0], *(f"#{tag}" for tag, _html in tags)]),
                f"<p>{' '.join([closing[1], *(html for _tag, html in tags)])}</p>",
            )
        )
        # A title that counts the tips, sometimes, when there are tips to count.
        title = choice(kit.counted_titles[len(tips)]) if tips and random() < 0.3 else choice(kit.titles)
        body = "\n\n".join([markdown for markdown, _html in blocks])
        html = "\n".join([html for _markdown, html in blocks])
        return Draft(title, body, html, language, topic, tuple(tag for tag, _html in tags), mentions)

    def _intro(self, kit):
        intro = self.rng.choice(kit.intros)
        if self.rng.random() < 0.7:
            context = self.rng.choice(kit.contexts)
            return f"{intro[0]} {context[0]}", f"<p>{intro[1]} {context[1]}</p>"
        return intro[0], f"<p>{intro[1]}</p>"

    def _tips(self, kit, tips):
        if self.rng.random() < 0.3:
            markdown = "\n".join(f"{number}. {tip}" for number, (tip, _html) in enumerate(tips, start=1))
            tag = "ol"
        else:
            markdown = "\n".join(f"- {tip}" for tip, _html in tips)
            tag = "ul"
        items = "\n".join(f"<li>{html}</li>" for _tip, html in tips)
        return self.rng.choice(kit.tip_headings), (markdown, f"<{tag}>\n{items}\n</{tag}>")

    def _with_postscript(self, draft, number):
        template = (
            "P.S. This is note {number} in my series."
            if draft.language == "en"
            else ("P.D. Esta es la nota {number} de mi serie.")
        )
        extra = template.format(number=number)
        html = f"{draft.html}\n<p>{self.renderer.inline(extra)}</p>"
        return Draft(
            draft.title,
            f"{draft.body}\n\n{extra}",
            html,
            draft.language,
            draft.topic,
            draft.tags,
            draft.mentions,
        )


_writers = weakref.WeakKeyDictionary()


def writer_for(rng):
    """The writer of one fakedata run, known by its random generator: the posts, comments and talks of a run
    share its rendered pieces and its memory of the bodies written."""
    if rng not in _writers:
        _writers[rng] = PostWriter(rng)
    return _writers[rng]


def _sentences(topic, language):
    """Every sentence a topic's posts and comments in ``language`` draw from (to render in one batch)."""
    named = functools.partial(fill, topic=topic, language=language)
    sentences = [
        *map(named, INTROS[language]),
        *CONTEXTS[language],
        *TIP_HEADINGS[language],
        *CODE_HEADINGS[language],
        *CODE_INTROS[language],
        *QUOTE_INTROS[language],
        *topic.tips[language],
        *(_link(template, topic, language) for template in LINKS[language]),
        *map(named, CLOSINGS[language]),
        *(f"#{tag}" for tag in topic.tags),
        *map(named, COMMENT_OPENERS[language]),
        *filter(None, COMMENT_BODIES[language]),
        *REPLIES[language],
        *map(named, ABSTRACT_INTROS[language]),
        ABSTRACT_HEADINGS[language],
        *(quote[0 if language == "en" else 1] for quote in QUOTES),
        *(quote[2] for quote in QUOTES),
    ]
    for template in THANKS[language]:
        before, after = template.split("{mention}")
        sentences += [before.strip(), after.lstrip(",. ")]
    return sentences


def fill(template, topic, language):
    """``template`` with the topic's name in ``language`` for {name}, and capitalised for {Name}."""
    name = topic.names[language]
    return template.replace("{Name}", capfirst(name)).replace("{name}", name)


def _link(template, topic, language):
    english, spanish, url = topic.link
    title = english if language == "en" else spanish
    return template.replace("{Title}", capfirst(title)).replace("{title}", title).replace("{url}", url)
