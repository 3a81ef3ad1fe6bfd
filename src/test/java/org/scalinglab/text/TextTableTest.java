package org.scalinglab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void numbersRightTextLeftFirstColumnLeft() {
        TextTable t = new TextTable("  ", "quantity", "value", "note");
        t.row("alpha", 0.34, "fitted");
        t.row("N", 1.5e9, "-");
        assertEquals("""
                  quantity  value  note
                  alpha      0.34  fitted
                  N         1.5e9  -
                """, t.toString());
    }

    @Test
    void alignmentCanBeNamed() {
        TextTable t = new TextTable("", "id", "time", "branch").right(1).left(2);
        t.row("a", "3m05s", "1");
        t.row("bb", "42s", "22");
        assertEquals("""
                id   time  branch
                a   3m05s  1
                bb    42s  22
                """, t.toString());
    }
}
