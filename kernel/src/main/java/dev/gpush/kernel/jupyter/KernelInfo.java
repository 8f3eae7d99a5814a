package dev.gpush.kernel.jupyter;

import dev.gpush.kernel.VersionInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of kernel_info_reply. It is built from constants and system properties only, so that the kernel
 * answers kernel_info before JShell has started.
 */
final class KernelInfo {

    private KernelInfo() {}

    static Map<String, Object> content() {
        var language = new LinkedHashMap<String, Object>();
        language.put("name", "java");
        language.put("version", System.getProperty("java.version"));
        language.put("mimetype", "text/x-java");
        language.put("file_extension", ".jshell");
        language.put("pygments_lexer", "java");
        language.put("codemirror_mode", "text/x-java");

        var content = new LinkedHashMap<String, Object>();
        content.put("status", "ok");
        content.put("protocol_version", Session.PROTOCOL_VERSION);
        content.put("implementation", "gpush");
        content.put("implementation_version", version());
        content.put("language_info", language);
        content.put("banner", "gpush " + version() + ": Java " + Runtime.version() + " in JShell, with the "
                + "dev.gpush tensor and autograd library imported");
        content.put("debugger", false);
        content.put("help_links", List.of(
                link("Java " + Runtime.version().feature() + " API",
                        "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/"),
                link("JShell user's guide",
                        "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature()
                                + "/jshell/introduction-jshell.html")));
        return content;
    }

    /** gpush's version, from the resource the build writes. */
    static String version() {
        return VersionInfo.gpushVersion();
    }

    private static Map<String, Object> link(String text, String url) {
        return Map.of("text", text, "url", url);
    }
}
