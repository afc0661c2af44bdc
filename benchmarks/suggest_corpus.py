"""A synthetic film-review corpus with planted patterns, for measuring the recommenders.

Every sentence is built from invented templates: labelled ones for spoiler, praise,
criticism and plot-hole, plain ones (noise) and near-misses that share words with the
labelled ones without being them. Spans leave out the final full stop, as our annotators
do; a few labelled sentences are left unannotated (annotators miss things), and some
sentences hold a praise clause and a criticism clause. Deterministic from the seed.
"""

from __future__ import annotations

import random
import uuid

from annotator.recommenders import Example

LABELS = ("spoiler", "praise", "criticism", "plot-hole")
_NAMESPACE = uuid.UUID("6f1d7c1e-5b61-4c1e-9a57-3c0e8f0b7a11")

FIRST = ["Odile", "Wren", "Priya", "Lasse", "Hiroko", "Dorothea", "Tomas", "Ines", "Bram",
         "Ysolde", "Caspian", "Marit", "Efua", "Jonah", "Saoirse", "Ravi"]
LAST = ["Halloway", "Marchetti", "Nordqvist", "Finch", "Okafor", "Brannigan", "Lindqvist",
        "Castellane", "Ferreira", "Vasquez", "Ambrose", "Kettering"]
ROLE = ["a lighthouse keeper", "a retired magician", "a bored accountant",
        "the village baker", "a disgraced astronaut", "a cartographer", "a night-shift nurse",
        "a chess prodigy"]
CRAFT = ["cinematography", "score", "production design", "sound design", "editing",
         "costume work", "lighting", "ensemble cast"]
ACT = ["middle act", "second half", "opening twenty minutes", "final act",
       "flashback sequence"]
THING = ["ledger", "music box", "pocket watch", "map", "radio", "key", "violin", "diary"]
PLACE = ["orchard", "lighthouse", "observatory", "laundromat", "harbour", "greenhouse"]
GENRE = ["chamber drama", "heist comedy", "slow-burn thriller", "space opera", "fable"]

TEMPLATES = {
    "spoiler": [
        "{name} turns out to be {role} all along.",
        "In the end, {first} dies saving the {thing}.",
        "The final scene reveals that the {place} never existed.",
        "It turns out the {thing} was forged by {name}.",
        "{first} is killed off halfway through, which changes everything.",
        "The twist is that {first} was the narrator the whole time.",
        "By the last reel we learn that {first} burned down the {place} years ago.",
    ],
    "praise": [
        "{name} is superb as {role}.",
        "The {craft} is gorgeous.",
        "{first}'s {craft} is the best thing in the film.",
        "The {craft} is genuinely stunning.",
        "{name} gives a warm, generous performance.",
        "The {craft} alone is worth the ticket.",
    ],
    "criticism": [
        "The {act} drags badly.",
        "The {craft} is flat and lifeless.",
        "{name} is badly miscast as {role}.",
        "The dialogue is clumsy and overwritten.",
        "It is at least twenty minutes too long.",
        "The {act} is a tedious slog.",
    ],
    "plot-hole": [
        "Nobody explains why {first} never simply calls the police.",
        "The film forgets that the {thing} was destroyed in the first act.",
        "It makes no sense that {first} can suddenly read the {thing}.",
        "How did {first} get into the {place} if the door was locked?",
        "We are told the {place} is sealed, yet {first} walks in whenever the plot needs it.",
    ],
}
NOISE = [
    "{name} plays {role} in this {genre} from director {name2}.",
    "The film runs {minutes} minutes.",
    "I watched it at a festival screening with a full house.",
    "The {thing} appears in several scenes.",
    "{first} first appears in the {act}.",
    "Most of it was shot on location near the {place}.",
    "It opens in cinemas next month.",
    "{name2} also wrote the screenplay.",
]
NEAR = [
    "I won't spoil the ending, but the {craft} deserves discussion.",
    "The {craft} is neither good nor bad.",
    "It makes sense that the {act} is quieter.",
    "Without giving anything away, the {place} is where it all happens.",
    "The {act} is where the {thing} first turns up.",
    "{first} never calls anyone in the trailer either.",
]
MIXED = "The {craft} is gorgeous, but the {act} drags badly."


def label_ids() -> dict[str, str]:
    """Label uuid -> name."""
    return {str(uuid.uuid5(_NAMESPACE, name)): name for name in LABELS}


def _fill(template: str, rng: random.Random) -> str:
    first = rng.choice(FIRST)
    return template.format(
        first=first, name=f"{first} {rng.choice(LAST)}",
        name2=f"{rng.choice(FIRST)} {rng.choice(LAST)}", role=rng.choice(ROLE),
        craft=rng.choice(CRAFT), act=rng.choice(ACT), thing=rng.choice(THING),
        place=rng.choice(PLACE), genre=rng.choice(GENRE), minutes=rng.randint(80, 170))


def _capital(s: str) -> str:
    return s[0].upper() + s[1:]


def planted_corpus(n_documents: int = 300, seed: int = 0, miss: float = 0.08
                   ) -> tuple[list[Example], dict[str, str]]:
    """Documents of about 1-2 KB with four spans on average, and the labels (uuid -> name)."""
    rng = random.Random(seed)
    uuid_of = {name: u for u, name in label_ids().items()}
    examples = []
    for doc in range(n_documents):
        text = f"{_capital(_fill('{name}', rng))} and the {rng.choice(PLACE).title()}\n\n"
        text += f"Rating: {rng.randint(2, 10)}/10\n\n"
        spans: list[tuple[str, int, int]] = []
        for _ in range(rng.randint(3, 5)):
            sentences = []
            for _ in range(rng.randint(4, 7)):
                roll = rng.random()
                if roll < 0.15:
                    label = rng.choice(LABELS)
                    sentences.append((_capital(_fill(rng.choice(TEMPLATES[label]), rng)),
                                      label))
                elif roll < 0.17:
                    sentences.append((_capital(_fill(MIXED, rng)), "mixed"))
                elif roll < 0.30:
                    sentences.append((_capital(_fill(rng.choice(NEAR), rng)), None))
                else:
                    sentences.append((_capital(_fill(rng.choice(NOISE), rng)), None))
            for k, (sentence, label) in enumerate(sentences):
                at = len(text)
                text += sentence + (" " if k < len(sentences) - 1 else "")
                if label is None or rng.random() < miss:
                    continue
                if label == "mixed":
                    comma = sentence.index(",")
                    but = sentence.index("but ") + 4
                    spans.append((uuid_of["praise"], at, at + comma))
                    spans.append((uuid_of["criticism"], at + but, at + len(sentence) - 1))
                else:
                    end = len(sentence) - (1 if sentence[-1] in ".!" else 0)
                    spans.append((uuid_of[label], at, at + end))
            text += "\n\n"
        examples.append(Example(doc + 1, text.rstrip() + "\n", tuple(spans)))
    return examples, label_ids()


def planted_cues() -> dict[str, list[str]]:
    """Cue lines a project lead might write for the planted corpus (label uuid -> lines)."""
    by_name = {
        "spoiler": ["turns out", "in the end", "# the twist itself:", "re:\\btwist is\\b",
                    "reveals that"],
        "praise": ["superb", "gorgeous", "stunning"],
        "criticism": ["drags", "miscast", "re:too (long|slow)"],
        "plot-hole": ["makes no sense", "nobody explains", "re:\\bhow did\\b"],
    }
    uuid_of = {name: u for u, name in label_ids().items()}
    return {uuid_of[name]: lines for name, lines in by_name.items()}
