package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A figure with nothing to draw becomes a note; a figure that throws is a bug and fails under test. */
class FigureTest {
    private static final Figure.Body THROWS = () -> {
        throw new IllegalArgumentException("a bug in the figure");
    };

    @Test
    void surefireRunsTheReportStrictly() {
        assertTrue(Boolean.getBoolean(Figure.STRICT), "pom.xml sets " + Figure.STRICT + " for the tests");
    }

    @Test
    void aFigureThatThrowsFailsUnderTest() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Figure.build("2", "isoflop-profiles", "IsoFLOP profiles", THROWS));
        assertTrue(e.getMessage().contains("figure 2 (IsoFLOP profiles) threw"), e.getMessage());
        assertEquals("a bug in the figure", e.getCause().getMessage());
    }

    @Test
    void aFigureWithNothingToDrawIsANote() {
        Figure f = Figure.build("6", "holdout-validation", "Held-out validation",
                () -> Figure.absent("the validation has no held-out runs"));
        assertFalse(f.isDrawn());
        assertEquals("6-holdout-validation", f.fileStem());
        assertEquals("the validation has no held-out runs", f.omitted());
    }

    @Test
    void outsideTestsAFigureThatThrowsBecomesANoteNamingTheException() {
        String before = System.getProperty(Figure.STRICT);
        System.setProperty(Figure.STRICT, "false");
        try {
            Figure f = Figure.build("2", "isoflop-profiles", "IsoFLOP profiles", THROWS);
            assertFalse(f.isDrawn());
            assertEquals("could not be drawn: IllegalArgumentException: a bug in the figure", f.omitted());
        } finally {
            if (before == null) {
                System.clearProperty(Figure.STRICT);
            } else {
                System.setProperty(Figure.STRICT, before);
            }
        }
    }
}
