"""Selecting text word by word and line by line, as the keyboard does."""

from __future__ import annotations

from ecip_reader.viewing.selection import (
    Word,
    make_selection,
    next_line_word,
    next_word,
    word_range,
)


def page_of_lines(*lines: str) -> list[Word]:
    """Words laid out as on a page: 12 points per letter and space, 20 points a line."""
    words: list[Word] = []
    for number, line in enumerate(lines):
        x = 50.0
        for position, text in enumerate(line.split()):
            width = 12.0 * len(text)
            words.append(
                (x, 100 + 20 * number, x + width, 112 + 20 * number, text, 0, number, position)
            )
            x += width + 12
    return words


WORDS = page_of_lines("one two three", "a bb ccc dddd eeeee", "last")


def test_word_steps_stay_on_the_page() -> None:
    assert next_word(WORDS, 0, 1) == 1
    assert next_word(WORDS, 0, -1) == 0
    assert next_word(WORDS, len(WORDS) - 1, 1) == len(WORDS) - 1


def test_a_line_step_lands_on_the_word_below_or_above() -> None:
    two = WORDS.index(next(w for w in WORDS if w[4] == "two"))
    below = next_line_word(WORDS, two, down=True)
    assert WORDS[below][4] == "ccc"  # "two" spans 98-134; "ccc" (122-158) is nearest across
    assert WORDS[next_line_word(WORDS, below, down=False)][4] == "two"
    assert WORDS[next_line_word(WORDS, below, down=True)][4] == "last"
    last = len(WORDS) - 1
    assert next_line_word(WORDS, last, down=True) == last  # no line below: the page's end
    assert next_line_word(WORDS, 0, down=False) == 0


def test_a_selection_is_found_again_among_the_words() -> None:
    chosen = make_selection(1, WORDS, 2, 5)
    assert chosen.text == "three\na bb ccc"
    assert word_range(WORDS, chosen) == (2, 5)
    assert word_range(WORDS[3:], chosen) is None  # not on these words
