"""Which scored rules a plan takes (DESIGN §6b).

A :class:`Composer` does the passes of a plan over the rule set's
:class:`~bounceback.ruletables.RuleTables` (what composition reads of every rule, computed once),
after merged steps have replaced their parts (:mod:`bounceback.merging`): options the person
chose are owed their step (:meth:`~Composer.owed`), and :meth:`~Composer.select` takes the
ranked rules within the limits (capacity, category cap, exclusions, one step per recipient,
steps held back) and then the evidence mix. Every pass is linear in the rules that apply; the
tables make each check one lookup. With a :data:`~bounceback.decisions.Log` it notes why each
rule was or was not taken.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import compress
from operator import itemgetter
from typing import Any

from .decisions import (
    CHOSEN,
    DISPLACED,
    HELD_BACK,
    KEPT_OUT,
    Log,
    Note,
    beyond_capacity,
    cap_note,
    kept_text,
    shut_note,
)
from .evidencemix import Need, mix_victim, seconds
from .model import EFFORTS
from .results import Load
from .ruletables import RuleTables

_HIGH_EFFORT = EFFORTS.index("high")  # a step for an option asking this much keeps no place at low capacity
#: The places of a plan that options never take (at most half of them): the person's most
#: important other step and the next two by score (coach review 23, Adaeze: five options' steps
#: left no place for reconnecting with people at no contacts in eight months; review 25: a plan
#: cut to five for someone in work kept two options of four, generic steps in their place). The
#: other options wait for later.
_FREE_PLACES = 3
_MIX_FLOOR = 1 / 3  # a larger plan's mix step never takes the place of one scoring over thrice as much
_SECOND_FLOOR = 2 / 3  # a second kept step of one kind gives way to a mix step scoring half as much again
#: An option the person chose with rules that apply: ``(question, option, where the first rule
#: names it, the best rule, every rule that applies)`` (:meth:`Composer.answered`).
Answered = tuple[str, str, int, int, list[int]]


class Composer:
    """The composition passes over one rule set's :class:`~bounceback.ruletables.RuleTables`,
    by rule index."""

    def __init__(self, tables: RuleTables) -> None:
        self.tables = tables

    # -- before selection ---------------------------------------------------------------------

    def answered(self, scores: tuple[float, ...], values: Mapping[str, Any]) -> list[Answered]:
        """For each option the person chose that rules declare they ``answers``, and that some
        of those rules apply to: ``(question, option, where the first of them names it, the
        best of them by score (ties: the first), all of them)``, in the order of
        :meth:`RuleTables.chosen`. :meth:`owed` and the plan's list for later both read it."""
        answered: list[Answered] = []
        for question, option, found in self.tables.chosen(values):
            first = winner = -1
            applying = []
            for position, i in found:
                if scores[i] > 0:
                    applying.append(i)
                    if first < 0:
                        first, winner = position, i
                    elif scores[i] > scores[winner]:
                        winner = i
            if first >= 0:
                answered.append((question, option, first, winner, applying))
        return answered

    def owed(self, scores: tuple[float, ...], answered: list[Answered]) -> list[int]:
        """For each option of ``answered`` (:meth:`answered`), the best of the rules answering
        it that applies and that the best rule of another option, ranked above it (by score,
        ties by id), does not rule out (then the next best: a further-study step that the
        routes' step takes in leaves the skill gap it also answers to the gap's own step): what
        a plan owes the person (highest score first; ties in the order the rules name options)."""
        if not answered:
            return []
        best = sorted(answered, key=itemgetter(2, 3))
        owed = [winner for _, _, _, winner, _ in best]
        shuts, winners = self.tables.shuts, set(owed)
        if any(not shuts[w].isdisjoint(winners) for w in winners):  # rare: one rules another out
            ids = self.tables.ids

            def ruled_out(i: int) -> bool:
                return any(i in shuts[w] and (-scores[w], ids[w]) < (-scores[i], ids[i]) for w in winners)

            for n, (_, _, _, winner, applying) in enumerate(best):
                if ruled_out(winner):
                    free = [i for i in applying if not ruled_out(i)]
                    owed[n] = max(free, key=scores.__getitem__) if free else winner
        return sorted(dict.fromkeys(owed), key=scores.__getitem__, reverse=True)

    # -- selection ----------------------------------------------------------------------------

    def select(
        self,
        scores: tuple[float, ...],
        per_category: int,
        load: Load,
        owed: list[int],
        needs: list[Need],
        log: Log | None = None,
        top_cut: int | None = None,
    ) -> list[int]:
        """Rule indices in the order they were chosen: pinned first, then the other steps of a
        safety tier (DESIGN §6b: safety, then capacity, then options), then the steps owed to an
        option the person chose (``owed``) with the person's most important other step among
        them by score (:meth:`lead`), then score descending, ties by id.

        Every unpinned step takes one of its category's ``per_category`` places; a category
        holding an owed step has one place more, for a step none of whose topics the
        category's chosen steps give yet (a reflection beside two practice steps, never a third
        course), so options never fill the plan with one kind of advice.

        At most ``load.steps`` unpinned steps are chosen, and fewer once a chosen step with a
        ``plan_limit`` allows only that many after it; a pinned step may keep the rest to some
        topics and effort (``load.topics``, ``load.effort``). One step per ``audience``: a
        lower-ranked step contacting an audience a chosen step contacts is left out. A step for
        an audience that a step which applies ``holds`` back brings that step along (before it),
        or is left out. Then each evidence-mix entry in ``needs`` that the plan misses brings its
        best step in, in place of the lowest-ranked step nothing else needs
        (:func:`~bounceback.evidencemix.mix_victim`; never the most important step, for a need
        of the person one of its own category when only steps of full categories fit, and for a
        larger plan's entry never one of its own full category, never one scoring over three
        times as much, and a second step of one kind kept for options only at two thirds of its
        score: a weak need does not push out a strong one). The owed steps keep at most all but
        :data:`_FREE_PLACES` of the places the safety steps leave (at least half; at least one):
        the best-scored ones, at low capacity none of high effort. Capacity comes before options,
        the rest go by score (low effort first at low capacity), and the options left over are
        the plan's list for later.
        With a ``log``, it notes why each rule that applies was or was not chosen (``top_cut``,
        the ``--top``, tells the top-N cut from the capacity); a chosen unpinned step's note
        says only why, after a colon (or nothing): its place is known once the plan is ordered.
        """
        tables = self.tables
        is_pinned, categories, topics, effort = tables.pinned, tables.categories, tables.topics, tables.effort
        ids = tables.ids
        plan_limit, shuts, holders, safety = tables.plan_limit, tables.shuts, tables.holders, tables.safety
        ranked = list(compress(tables.by_id_order, tables.in_id_order(scores)))  # scores are ≥ 0
        ranked.sort(key=scores.__getitem__, reverse=True)  # stable: ties by id
        by_score = ranked.copy()
        front = [i for i in tables.safety_rules if scores[i] > 0]
        places = load.steps - sum(not is_pinned[i] for i in front)  # those the safety steps leave
        if load.level == "low":  # never for high effort at low capacity
            owed = [i for i in owed if effort[i] < _HIGH_EFFORT]
        owed = owed[: max(1, places - min(_FREE_PLACES, places // 2))]  # all but the free places
        owed_set = set(owed)
        # The person's most important step: the evidence mix never takes its place, and the
        # owed steps do not crowd it out.
        lead = self.lead(ranked, owed, per_category)
        if front or owed:
            # They come first: safety (pinned steps, then the other safety-tier steps, each by
            # score, ties by id; DESIGN §6b: safety, then capacity, then options), then owed
            # ones, with the most important step among them by score (after those it ties).
            front.sort(key=lambda i: (not is_pinned[i], -scores[i]))
            firsts = [i for i in owed if not safety[i]]
            if lead is not None and firsts:
                firsts.insert(
                    next((n for n, i in enumerate(firsts) if scores[i] < scores[lead]), len(firsts)), lead
                )
            front += firsts
            for i in front:
                ranked.remove(i)
            ranked[:0] = front
        kept = owed_set if lead is None else owed_set | {lead}  # never displaced by the mix
        chosen: list[int] = []
        taken: set[int] = set()
        shut: set[int] = set()  # the rules a chosen step excludes or whose audience it contacts
        in_category: dict[str, int] = {}
        top, unpinned = load.steps, 0
        allowed, most = frozenset(load.topics), EFFORTS.index(load.effort or EFFORTS[-1])
        # The pinned step keeping the rest of the plan to some topics or effort, if any.
        restricted = bool(load.topics) or load.effort is not None
        keeper = next((i for i in tables.restricting if scores[i] > 0), None) if restricted else None

        def kept_out(i: int) -> bool:
            return not is_pinned[i] and (effort[i] > most or (bool(allowed) and not topics[i] <= allowed))

        def take(i: int) -> None:
            nonlocal top, unpinned
            chosen.append(i)
            taken.add(i)
            shut.update(shuts[i])
            if not is_pinned[i]:  # a pinned step is extra: it takes no slot
                category = categories[i]
                in_category[category] = in_category.get(category, 0) + 1
                unpinned += 1
                limit = plan_limit[i]
                if limit is not None and unpinned + limit < top:
                    top = unpinned + limit

        def extra_place(i: int, category: str) -> bool:
            """Whether ``i`` may take the one extra place of a category holding an owed step:
            none of its topics is given yet by the category's chosen steps."""
            mine = [j for j in chosen if categories[j] == category and not is_pinned[j]]
            return (
                bool(topics[i])
                and not owed_set.isdisjoint(mine)
                and topics[i].isdisjoint(frozenset().union(*(topics[j] for j in mine)))
            )

        for i in ranked:
            if i in taken:
                continue  # came along with a step it holds back
            if keeper is not None and kept_out(i):
                if log is not None:
                    log[i] = Note(
                        KEPT_OUT, f"{ids[keeper]} keeps the rest of the plan to {kept_text(load)}", keeper
                    )
                continue
            pinned = is_pinned[i]
            if unpinned >= top and not pinned:
                if log is None:
                    break  # pinned rules come first: nothing after this can be chosen
                first = (
                    sum(not is_pinned[j] and safety[j] for j in chosen),
                    sum(not is_pinned[j] and j in owed_set and not safety[j] for j in chosen),
                )
                cut = load.steps if top_cut is None else top_cut
                log[i] = beyond_capacity(load, top, cut, first, any(is_pinned[j] for j in chosen))
                continue
            if i in shut:
                if log is not None:
                    log[i] = shut_note(i, chosen, ids, tables.excludes, tables.audience)
                continue
            if not pinned:
                category = categories[i]
                count = in_category.get(category, 0)
                if count >= per_category and not (count == per_category and extra_place(i, category)):
                    if log is not None:
                        log[i] = cap_note(category, count, per_category, chosen, owed_set, categories)
                    continue
            if holders[i]:
                needed = [h for h in holders[i] if scores[h] > 0 and h not in taken]
                if needed:
                    room = top - unpinned - (0 if pinned else 1)
                    excluded = {t for j in chosen for t in tables.excludes[j]}
                    if (
                        any(h in excluded or kept_out(h) for h in needed)
                        or sum(not is_pinned[h] for h in needed) > room
                    ):
                        if log is not None:
                            log[i] = Note(
                                HELD_BACK,
                                f"held back by {', '.join(ids[h] for h in needed)}, "
                                "which must come first and does not fit in the plan",
                                needed[0],
                            )
                        continue
                    for h in needed:
                        take(h)
                        if log is not None:
                            log[h] = Note(
                                CHOSEN,
                                f": it comes before {ids[i]}, which it holds back",
                            )
            take(i)
            if log is not None:
                log[i] = Note(
                    CHOSEN,
                    "pinned: shown first whenever it applies"
                    if pinned
                    else ": it answers an option you chose"
                    if i in owed_set
                    else ": your most important step besides those for options you chose"
                    if i == lead and owed
                    else "",
                )

        def fits(i: int) -> bool:
            return (
                i not in taken
                and i not in shut
                and not is_pinned[i]
                and not (restricted and kept_out(i))
                and taken.isdisjoint(tables.excludes[i])
                and (not holders[i] or all(scores[h] <= 0 or h in taken for h in holders[i]))
            )

        def victim(min_steps: int, within: str | None, incoming: int) -> int | None:
            # The entries this plan size has, and that come first: a need of the person may
            # take the only step of the evidence mix of larger plans.
            counted = [need for need in needs if need[2] <= min(unpinned, min_steps)]
            old = mix_victim(tables, by_score, chosen, kept, counted, within)
            if old is None and min_steps <= 1 and len(owed_set.intersection(chosen)) > 1:
                # An entry for every plan (a need of the person, such as support for someone
                # with nobody) may then take an owed step's place, while another stays; the
                # evidence mix of larger plans gives way to the options the person chose.
                old = mix_victim(tables, by_score, chosen, kept - owed_set, counted, within)
            if old is None and min_steps > 1:
                # A larger plan's entry may take the place of a weak second step of one kind
                # among those kept (two alternatives steps): the first of that kind stays.
                weak = seconds(tables, by_score, chosen, kept, _SECOND_FLOOR * scores[incoming], scores)
                old = mix_victim(tables, by_score, chosen, kept - weak, counted, within)
            return old

        for mix_id, meets, min_steps in needs:
            if unpinned < min_steps or not meets.isdisjoint(chosen):
                continue
            # The best step that fits in a category with a place left, into a free place or that of
            # the step mix_victim finds (for larger plans, never under a third of its score); else,
            # for a need of the person, the best that fits in place of a step of its own category
            # (the mix keeps the cap).
            floor = _MIX_FLOOR if min_steps > 1 else 0.0
            candidates, new = [], None
            for i in ranked:  # a loop, not two comprehensions: this runs for most plans
                if i in meets and fits(i):
                    candidates.append(i)
                    if new is None and in_category.get(categories[i], 0) < per_category:
                        new = i
            old = None if new is None or unpinned < top else victim(min_steps, None, new)
            if (
                new is None
                or (old is None and unpinned >= top)
                or (old is not None and scores[new] < floor * scores[old])
            ):
                new = None
                # A need of the person may swap a step of its own kind; a larger plan's entry
                # never does: the step chosen for the person stays (review 20, Tarun: generic
                # reassurance in place of his step on the job's red flags).
                for i in candidates if min_steps <= 1 else ():
                    if in_category.get(categories[i], 0) >= per_category:
                        old = victim(min_steps, categories[i], i)
                        if old is not None:
                            new = i
                            break
            if new is None:
                continue
            if old is not None:
                chosen.remove(old)
                taken.discard(old)
                unpinned -= 1
                in_category[categories[old]] -= 1  # it took a place: the mix never displaces a pinned step
                shut = set().union(*map(shuts.__getitem__, chosen))
                if log is not None:
                    log[old] = Note(
                        DISPLACED, f"gave its place to {ids[new]}, which the plan needs ({mix_id})", new
                    )
            take(new)
            if log is not None:
                log[new] = Note(
                    CHOSEN,
                    f": a plan of {min_steps}+ steps needs one ({mix_id})"
                    if min_steps > 1
                    else f": your answers call for one ({mix_id})",
                )
        return chosen

    def lead(self, ranked: list[int], owed: list[int], per_category: int) -> int | None:
        """The person's most important step besides the steps owed to options, so that those
        cannot crowd it out: the best-ranked step (``ranked``: by score, ties by id) neither
        owed nor of a safety tier, that rules out no owed step, that no owed step rules out, and
        whose category the owed steps leave a place in (it never takes an option's place).
        :meth:`select` takes it among the owed steps, by score: DESIGN §6b's first step is the
        most important, and a strong need (a cool-off at anger 5) outranks a fourth option."""
        safety, shuts, categories = self.tables.safety, self.tables.shuts, self.tables.categories
        if not owed:
            return next((i for i in ranked if not safety[i]), None)
        shut = set(owed)  # the owed steps and what they rule out
        in_category: dict[str, int] = {}
        for o in owed:
            shut |= shuts[o]
            in_category[categories[o]] = in_category.get(categories[o], 0) + 1
        full = {c for c, n in in_category.items() if n >= per_category}
        for i in ranked:
            if not safety[i] and i not in shut and categories[i] not in full and shuts[i].isdisjoint(owed):
                return i
        return None
