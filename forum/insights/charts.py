"""The figures drawn as SVG by pygal on the server, readable without colour.

Each series has a colour of the Okabe–Ito palette (told apart by colour-blind readers) and a fill
pattern or line dash of its own, so a printed or greyscale chart still separates them; every bar
carries its value. The SVG has no script; pages show it as an image with the figures in a table
below it, and CSV and JSON beside.
"""

import base64

import pygal
from pygal.style import Style

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour vision deficiency.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
# One pattern per series (drawn in its colour on white): solid, hatches, dots, cross-hatch, lines.
PATTERNS = (
    None,
    '<path d="M0 8L8 0" stroke="{c}" stroke-width="2"/>',
    '<circle cx="4" cy="4" r="1.6" fill="{c}"/>',
    '<path d="M0 0L8 8M0 8L8 0" stroke="{c}" stroke-width="1.4"/>',
    '<path d="M0 4H8" stroke="{c}" stroke-width="2"/>',
    '<path d="M4 0V8" stroke="{c}" stroke-width="2"/>',
)
DASHES = ("none", "8 4", "2 3", "10 3 2 3", "4 4", "1 2")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#595959",
    colors=COLOURS,
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=11,
    legend_font_size=13,
    title_font_size=15,
)


def _defs():
    """The fill patterns, one per series, as SVG definitions."""
    defs = []
    for index, shape in enumerate(PATTERNS):
        if shape:
            body = f'<rect width="8" height="8" fill="white"/>{shape.format(c=COLOURS[index])}'
            tile = f'id="pattern-{index}" width="8" height="8" patternUnits="userSpaceOnUse"'
            defs.append(f"<pattern {tile}>{body}</pattern>")
    return defs


def _css():
    """Patterned fills and outlines for bars and legend keys; dashes for lines."""
    rules = []
    for index, dash in enumerate(DASHES):
        colour = COLOURS[index]
        fill = f"url(#pattern-{index})" if PATTERNS[index] else colour
        rules.append(
            f".serie-{index} .rect, .legend .color-{index} {{ fill: {fill} !important; "
            f"stroke: {colour} !important; stroke-width: 1.5; fill-opacity: 1 !important; }}"
        )
        rules.append(f".serie-{index} .line {{ stroke-dasharray: {dash}; stroke-width: 2.5; }}")
    return ["inline:" + " ".join(rules)]


def _without_scripts(root):
    """The SVG tree without pygal's script elements (its configuration, for tooltips we do not use)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if str(child.tag).rpartition("}")[2] == "script":
                parent.remove(child)
    return root


def _chart(kind, title, labels, **options):
    """A pygal chart of `kind` with the forum's settings: no script, values printed, legend below."""
    config = pygal.Config(
        js=[],
        css=[*pygal.Config().css, *_css()],
        defs=_defs(),
        style=STYLE,
        title=title,
        width=900,
        height=max(360, 48 * len(labels) + 160) if kind is pygal.HorizontalBar else 420,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        print_values=kind is not pygal.Line,
        print_zeroes=False,
        truncate_label=-1,
        truncate_legend=-1,
        disable_xml_declaration=True,
        no_data_text="",
        **options,
    )
    chart = kind(config)
    chart.add_xml_filter(_without_scripts)
    chart.x_labels = labels
    return chart


def draw(table, series, title, kind="bar", value_format=None):
    """The SVG of `table`: one series per column id in `series` (its label as the legend)."""
    labels = [row[1] for row in table.rows]
    names = dict(table.columns)
    position = {column: index for index, (column, _label) in enumerate(table.columns)}
    if kind == "line":
        chart = _chart(pygal.Line, str(title), labels, x_label_rotation=40, show_minor_x_labels=False,
                       x_labels_major_every=max(1, len(labels) // 12), dots_size=3)  # fmt: skip
    else:
        chart = _chart(pygal.HorizontalBar, str(title), labels)
    # pygal names each chart's elements after a random id: the figure's name makes the same figures give
    # the same SVG (and the report's PDF, made from it, the same content version: forum.report).
    chart.uuid = table.name
    if value_format:
        chart.value_formatter = value_format
    for column in series:
        chart.add(str(names[column]), [row[position[column]] for row in table.rows])
    return chart.render(is_unicode=True)


def data_uri(svg):
    """The SVG as a data: address for an <img> (the site's CSP allows data: images, not inline styles)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
