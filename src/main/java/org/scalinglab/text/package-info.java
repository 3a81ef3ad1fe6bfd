/**
 * How numbers and tables read as text, for every command's console output and the report's cells:
 * {@link org.scalinglab.text.Numbers}, the one number formatter, and {@link org.scalinglab.text.TextTable},
 * the one aligned console table. A leaf package: it depends on nothing of scalinglab's, so the fits,
 * the sweep, the forecast and the report can share it without depending on each other.
 */
package org.scalinglab.text;
