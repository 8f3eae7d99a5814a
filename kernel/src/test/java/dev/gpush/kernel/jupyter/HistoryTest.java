package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history file and the three ways history_request reads it, with IPython's meanings. */
class HistoryTest {

    @TempDir
    Path dir;

    static List<String> inputs(List<History.Entry> entries) {
        return entries.stream().map(History.Entry::input).toList();
    }

    History twoSessions() {
        Path file = dir.resolve("h.jsonl");
        var first = History.open(file);
        first.add(1, "int a = 1;", null);
        first.add(2, "a + 1", "2");
        var second = History.open(file);
        second.add(1, "a * 10", "10");
        second.add(2, "a + 1", "2");
        return second;
    }

    @Test
    void eachKernelIsTheNextSessionAndFindsTheEarlierOnes() {
        var history = twoSessions();
        assertEquals(2, history.session());
        assertEquals(List.of(1L, 1L, 2L, 2L), history.tail(10).stream().map(History.Entry::session).toList());
    }

    @Test
    void tailIsTheLastCellsOldestFirst() {
        assertEquals(List.of("a * 10", "a + 1"), inputs(twoSessions().tail(2)));
    }

    @Test
    void rangeIsOneSessionFromStartToBeforeStop() {
        var history = twoSessions();
        assertEquals(List.of("a * 10"), inputs(history.range(2, 1, 2L)));
        assertEquals(List.of("a * 10", "a + 1"), inputs(history.range(0, 1, null)), "0 is the current session");
        assertEquals(List.of("int a = 1;", "a + 1"), inputs(history.range(-1, 0, null)), "-1 the one before");
    }

    @Test
    void searchMatchesTheWholeInputWithAGlob() {
        var history = twoSessions();
        assertEquals(List.of("a + 1", "a + 1"), inputs(history.search("a ? 1", null, false)));
        assertEquals(List.of("int a = 1;", "a * 10", "a + 1"), inputs(history.search("*", null, true)),
                "unique keeps the latest of each input");
        assertEquals(List.of("a + 1"), inputs(history.search("*", 1L, false)), "n keeps the last n");
        assertEquals(List.of(), inputs(history.search("a", null, false)), "the glob must match the whole input");
        assertEquals(List.of(), inputs(history.search("a [*] 10", null, false)), "brackets are literal");
    }

    @Test
    void entriesAnswerAsHistoryReplyListsThem() {
        var entry = new History.Entry(3, 7, "x", null);
        assertEquals(List.of(3L, 7L, "x"), entry.toReply(false));
        assertEquals(List.of(3L, 7L, java.util.Arrays.asList("x", null)), entry.toReply(true));
    }

    @Test
    void aTornLineIsSkipped() throws IOException {
        Path file = dir.resolve("torn.jsonl");
        Files.writeString(file, "{\"session\":4,\"line\":1,\"input\":\"ok\",\"output\":null}\n{\"session\":4,\"li");
        var history = History.open(file);
        assertEquals(List.of("ok"), inputs(history.tail(10)));
        assertEquals(5, history.session());
    }

    @Test
    void anUnwritableFileKeepsTheHistoryInMemory() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "");
        var history = History.open(blocker.resolve("h.jsonl"));
        history.add(1, "still kept", null);
        assertEquals(List.of("still kept"), inputs(history.tail(1)));
        assertFalse(Files.isDirectory(blocker));
    }

    @Test
    void theDefaultFileLivesUnderTheUsersDataFolderByKernelName() {
        Path file = History.defaultFile("gpush test/1");
        assertTrue(file.endsWith(Path.of("gpush", "history", "gpush_test_1.jsonl")), file.toString());
    }
}
