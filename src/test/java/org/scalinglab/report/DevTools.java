package org.scalinglab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.scalinglab.io.Json;

/**
 * A minimal client of the Chrome DevTools protocol over Java's built-in WebSocket: numbered calls with a
 * bounded wait for their answer, and the events seen so far. Enough to open a page, evaluate a script in
 * it and take a screenshot; no dependency beyond the JDK.
 */
final class DevTools implements AutoCloseable {
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    private DevTools(WebSocket socket) {
        this.socket = socket;
    }

    static DevTools connect(URI ws, Duration timeout) throws Exception {
        Listener l = new Listener();
        WebSocket s = HttpClient.newBuilder().connectTimeout(timeout).build().newWebSocketBuilder()
                .connectTimeout(timeout).buildAsync(ws, l).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        DevTools d = new DevTools(s);
        l.owner = d;
        return d;
    }

    /** Calls a method and waits for its result; a protocol error fails the test with the message. */
    JsonNode call(String method, ObjectNode params, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = Json.mapper().createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", params == null ? Json.mapper().createObjectNode() : params);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Json.compact(msg), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        JsonNode r;
        try {
            r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(method + ": no answer from chromium within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError(method + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pending.remove(id);
        }
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    static ObjectNode params() {
        return Json.mapper().createObjectNode();
    }

    /** The events with this method received so far. */
    List<JsonNode> events(String method) {
        synchronized (events) {
            return events.stream().filter(e -> method.equals(e.path("method").asText())).toList();
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private void dispatch(String text) {
        JsonNode m;
        try {
            m = Json.mapper().readTree(text);
        } catch (IOException e) {
            return;
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
        } else {
            synchronized (events) {
                events.add(m);
            }
        }
    }

    private void failAll(Throwable t) {
        pending.values().forEach(f -> f.completeExceptionally(t));
    }

    /** Joins message fragments (a screenshot arrives in many) and hands each whole message over. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        volatile DevTools owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String whole = partial.toString();
                partial.setLength(0);
                if (owner != null) {
                    owner.dispatch(whole);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            if (owner != null) {
                owner.failAll(new IOException("chromium closed the connection: " + status + " " + reason));
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (owner != null) {
                owner.failAll(error);
            }
        }
    }
}
