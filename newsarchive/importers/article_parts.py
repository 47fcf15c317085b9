"""Which containers of one class part one article, for extract.py's reading of an article that
advertisements split into several `div.article__body`: not the layout containers of a class that
wraps the page, its main column and the story, not the comments under it, not the sidebar's boxes."""
from __future__ import annotations

import re

BETWEEN_PARTS_MAX = 400  # characters shown between two parts of one article: an advertisement's label, a "read also" box
MAX_PARTS = 100  # parts read at most: BBC writes an explainer in 43 blocks
# an id or class token of a comment thread ("comments", "comment_container", "disqus_thread"), not "commentary"
_COMMENTS = re.compile(r"(?:^|[\s_-])(?:comments?|kommentare?|commentaires?|comentarios?|disqus)(?:$|[\s_-])", re.I)


def run_of_parts(first, same: list) -> list:
    """The containers of the class that part one article, from the one holding its first paragraph on:
    none inside another (a layout class that wraps the page, its main column and the story), none in a
    comment thread (each comment a container of the story's class), and little text between one and the next."""
    members = set(same)
    if any(a in members for e in same for a in e.iterancestors()):
        return [first]
    same = [e for e in same if not any(_COMMENTS.search(f"{a.get('id') or ''} {a.get('class') or ''}")
                                       for a in [e, *e.iterancestors()])]
    run = [first]
    for element in same[same.index(first) + 1:][:MAX_PARTS] if first in same else []:
        if len(text_between(run[-1], element)) > BETWEEN_PARTS_MAX:
            break  # a sidebar's boxes of the same class, after the comments or the footer
        run.append(element)
    return run


def text_between(before, after) -> str:
    """The text shown after `before` ends and before `after` starts, in document order."""
    texts, inside = [], False
    for node in before.getroottree().getroot().iter():
        if node is after:
            break
        if node is before:
            inside = True
            texts.append(node.tail or "")
        elif inside and isinstance(node.tag, str) and node.tag not in ("script", "style") \
                and not any(a is before for a in node.iterancestors()):
            texts += [node.text or "", "" if any(a is node for a in after.iterancestors()) else node.tail or ""]
    return " ".join(" ".join(texts).split())
