"""Planted duplicates: a missing child found again later, described with the noise real records carry.

The found child gives a nickname or a respelled name, the surname is dropped, the age is an estimate, the
clothes are different; often the child turns up in another state, at a junction down the rail line from home.
The FOUND/CARE record gets ``demo_truth`` naming the MISSING record, so matching quality can be measured.
"""

from __future__ import annotations

from datetime import date
from random import Random

from trackchild_hub.sandbox.demo.cases import Draft, Ledger, care, found
from trackchild_hub.sandbox.demo.children import Child, Guardian, age_on, clothing_for, complexion_for
from trackchild_hub.sandbox.demo.people import drop_surname, nickname
from trackchild_hub.sandbox.demo.spellings import respell
from trackchild_hub.sandbox.demo.world import World, pick_home

_NEIGHBOUR_COMPLEXION = {"fair": "wheatish", "wheatish": "fair", "dark": "wheatish"}


def _destination(rng: Random, world: World, truth: Draft) -> str:
    home = truth.locale.state.code
    if rng.random() >= 0.4:
        return home
    links = [s for s in truth.locale.profile.rail_links if s in world.states and s != home]
    links = links or [s for s in world.states if s != home]
    if not links:
        return home
    # Earlier links are the busier routes (Bihar to Howrah before Bihar to Mumbai).
    return rng.choices(links, [len(links) - i for i in range(len(links))])[0]


def _name(rng: Random, truth: Child) -> tuple[str | None, tuple[str, ...]]:
    if truth.name is None:
        return None, ()
    own_nick = next((a for a in truth.aliases if not a.startswith("B/O")), None)
    nick = own_nick or nickname(rng, truth.family.culture, "FEMALE" if truth.gender == "FEMALE" else "MALE")
    aliases = (own_nick,) if own_nick and rng.random() < 0.6 else ()
    style = rng.choices(("respelled", "no_surname", "same", "nick", "given_respelled"), (30, 25, 15, 15, 15))[0]
    if style == "nick":
        return None, (nick,)
    if style == "same":
        return truth.name, aliases
    if style == "respelled":
        return respell(rng, truth.name), aliases
    short = drop_surname(truth.name)
    return (respell(rng, short) if style == "given_respelled" or rng.random() < 0.5 else short), aliases


def _guardians(rng: Random, truth: Child) -> tuple[Guardian, ...]:
    father = next((g for g in truth.guardians if g.relation == "FATHER"), None)
    mother = next((g for g in truth.guardians if g.relation == "MOTHER"), None)
    choice = rng.choices(("father_given", "father", "both", "mother", "none"), (30, 25, 20, 10, 15))[0]

    def told(g: Guardian, whole: bool) -> Guardian:
        name = respell(rng, g.name) if whole else g.name.split(" ")[0]
        if name in ("Md.", "Mohd.", "Sk.", "Sk", "Md", "Mohd", "Mohammad"):
            name = " ".join(g.name.split(" ")[:2])  # "Md. Salim", not just "Md."
        return Guardian(g.relation, name, g.phone if rng.random() < 0.25 else None)

    result: list[Guardian] = []
    if father is not None and choice in ("father_given", "father", "both"):
        result.append(told(father, choice != "father_given"))
    if mother is not None and choice in ("both", "mother"):
        result.append(told(mother, True))
    return tuple(result)


def _noisy(rng: Random, truth: Child, on: date, same_state: bool) -> Child:
    elapsed = (on - truth.on).days
    # Without a birth date the birthday may fall anywhere in the year since the last record.
    grown = (elapsed + rng.randrange(365)) // 365
    true_age = age_on(truth.dob, on) if truth.dob is not None else truth.age + grown
    age = max(0, min(17, min(true_age, 17) + rng.randint(-2, 2)))  # an estimate by eye, as CWCs record it
    name, aliases = _name(rng, truth)
    height = None
    if truth.height_cm is not None and rng.random() < 0.6:
        height = round(truth.height_cm + 5 * elapsed / 365 + rng.gauss(0, 3))
    complexion = truth.complexion
    roll = rng.random()
    if roll < 0.15:
        complexion = None
    elif roll < 0.3 and complexion is not None:
        complexion = _NEIGHBOUR_COMPLEXION[complexion]
    elif roll < 0.3:
        complexion = complexion_for(rng)
    clothing = truth.clothing if elapsed <= 3 and rng.random() < 0.6 else clothing_for(rng, age, truth.gender)
    languages = truth.languages[:1] + tuple(x for x in truth.languages[1:] if rng.random() < 0.5)
    return truth.with_changes(
        age=age,
        on=on,
        dob=None,
        name=name,
        aliases=aliases,
        height_cm=height,
        complexion=complexion,
        marks=tuple(m for m in truth.marks if rng.random() < 0.6),
        languages=languages,
        clothing=clothing,
        guardians=_guardians(rng, truth),
        # A home in another state writes Latin letters; one in the same state may keep the script.
        scripted=truth.scripted and same_state and rng.random() < 0.5,
    )


def refound(rng: Random, world: World, ledger: Ledger, truth: Draft, kind: str) -> Draft | None:
    """The child of ``truth`` as a later FOUND or CARE record; None when no home can take them (CARE)."""
    state = _destination(rng, world, truth)
    on = world.later(truth.child.on, int(rng.triangular(0, 400, 10)))
    child = _noisy(rng, truth.child, on, state == truth.locale.state.code)
    if kind == "FOUND":
        draft = found(rng, world, child, world.district(rng, hub_bias=4, state=state), paired=True)
    else:
        home = pick_home(rng, world, child.age, child.gender, state=state, care_and_protection=True)
        if home is None:
            return None
        draft = care(rng, world, ledger, child, home, paired=True)
    draft.truth = truth
    return draft
