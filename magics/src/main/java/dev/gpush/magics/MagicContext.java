package dev.gpush.magics;

import java.util.List;

/** What a magic may do with the session it runs in. The engine implements it. */
public interface MagicContext {

    /** Evaluates Java source in the session, as if it were a cell; returns whether every snippet succeeded. */
    boolean eval(String source);

    /** Prints text to the cell's standard output. */
    void print(String text);

    /** Shows a value as a display does (a tensor, an image, a chart, anything the renderers know). */
    void display(Object value);

    /** Adds a jar or folder to the class path of the session's compiler and class loader. */
    void addToClasspath(String path);

    /** The session's variables as {@code type name = value}. */
    List<String> vars();

    /** The magics this session knows. */
    Magics magics();
}
