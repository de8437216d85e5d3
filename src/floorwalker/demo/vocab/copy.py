"""Copy families: the materials, features, fits, uses and care notes descriptions are built from.

A product type names its family; a description takes an opener, a material sentence, a fit
sentence (clothing and footwear), two or three features, a care note and sometimes a closing
line, so two products of one type rarely read alike.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CopyFamily:
    """What a family of products is made of, what it does, how it fits and how to care for it."""

    #: (attribute value, sentence) pairs; the value goes into the product's `material` attribute.
    materials: tuple[tuple[str, str], ...]
    features: tuple[str, ...]
    uses: tuple[str, ...]
    care: tuple[str, ...]
    fits: tuple[tuple[str, str], ...] = ()
    #: Tags this family's products may carry.
    tags: tuple[str, ...] = ()


OPENERS: tuple[str, ...] = (
    "The {model} {type} is built for {use} and {use2}.",
    "Meet the {model}: a {adj} {type_l} for {use}, {use2} and everything in between.",
    "Our {model} {type} earns its place on {use} and still looks right for {use2}.",
    "Designed with guides and tested through a full Pacific Northwest year, the {model} is a "
    "{adj} {type_l} for {use}.",
    "If you only own one {type_l} for {use}, make it the {model}.",
    "The {model} takes everything we learned from {use} and puts it into a {adj} {type_l}.",
    "A {adj} {type_l} that moves from {use} to {use2} without missing a beat.",
)

ADJECTIVES: tuple[str, ...] = (
    "dependable", "versatile", "hard-wearing", "thoughtfully made", "no-fuss", "go-anywhere",
    "refined", "rugged", "everyday", "trail-tested", "well-made", "quietly clever",
)  # fmt: skip

CLOSERS: tuple[str, ...] = (
    "Backed by our Ironclad Guarantee: if it ever fails you, send it back.",
    "Made in a Fair Trade Certified factory.",
    "bluesign-approved materials throughout.",
    "Part of our Worn Well program: trade it in when you're done with it.",
    "Every purchase funds trail maintenance in the Columbia River Gorge.",
    "Small-batch production; colours may vary slightly from run to run.",
)

COMMON_CARE = "Machine wash cold on a gentle cycle, tumble dry low."
