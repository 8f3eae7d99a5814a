package dev.gpush.kernel.notebooks;

import dev.gpush.io.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of Chromium's DevTools protocol for one page, over the JDK's WebSocket: enough to evaluate JavaScript in
 * the page and take a screenshot. A command is a JSON object with an id; the reply with the same id completes it,
 * and events (messages without an id) are ignored.
 */
final class DevTools implements AutoCloseable {

    /** A guard against a browser that stopped answering, not a speed requirement. */
    private static final long REPLY_TIMEOUT_S = 60;

    private final HttpClient client;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<?, ?>>> pending = new ConcurrentHashMap<>();

    private DevTools(HttpClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
    }

    /** Connects to the page whose DevTools WebSocket address is {@code url} (from {@code /json/list}). */
    static DevTools connect(String url) throws Exception {
        var client = HttpClient.newHttpClient();
        var devTools = new DevTools[1];
        var socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(REPLY_TIMEOUT_S))
                .buildAsync(URI.create(url), new Listener(replies -> devTools[0].received(replies)))
                .get(REPLY_TIMEOUT_S, TimeUnit.SECONDS);
        devTools[0] = new DevTools(client, socket);
        return devTools[0];
    }

    /** Sends {@code method} with {@code params} and answers the reply's {@code result}. */
    Map<?, ?> send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        var reply = new CompletableFuture<Map<?, ?>>();
        pending.put(id, reply);
        var message = new LinkedHashMap<String, Object>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        socket.sendText(Json.write(message), true).get(REPLY_TIMEOUT_S, TimeUnit.SECONDS);
        Map<?, ?> answer = reply.get(REPLY_TIMEOUT_S, TimeUnit.SECONDS);
        if (answer.get("error") != null) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return (Map<?, ?>) answer.get("result");
    }

    /** The value of a JavaScript expression in the page (a string, number, boolean or null). */
    Object evaluate(String expression) throws Exception {
        var result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.get("exceptionDetails") != null) {
            throw new IllegalStateException("JavaScript failed: " + expression + ": " + result.get("exceptionDetails"));
        }
        return ((Map<?, ?>) result.get("result")).get("value");
    }

    /** Evaluates {@code condition} every 250 ms until it is true; false if {@code seconds} pass first. */
    boolean waitFor(String condition, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(evaluate(condition))) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** A PNG of what the page shows now. */
    byte[] screenshot() throws Exception {
        var result = send("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode((String) result.get("data"));
    }

    private void received(String text) {
        var message = (Map<?, ?>) Json.parse(text);
        if (message.get("id") instanceof Number id) {
            var reply = pending.remove(id.intValue());
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    @Override
    public void close() {
        socket.abort();
        client.shutdownNow();
    }

    /** Joins a message's frames (a screenshot comes in many) and hands each whole message on. */
    private record Listener(java.util.function.Consumer<String> onMessage, StringBuilder partial)
            implements WebSocket.Listener {
        Listener(java.util.function.Consumer<String> onMessage) {
            this(onMessage, new StringBuilder());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onMessage.accept(message);
            }
            socket.request(1);
            return null;
        }
    }
}
