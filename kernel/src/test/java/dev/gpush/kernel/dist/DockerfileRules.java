package dev.gpush.kernel.dist;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The project's own rules for install/Dockerfile, beyond what a general linter knows. {@link #check} answers one
 * plain sentence per broken rule, and none when all hold:
 * <ul>
 *   <li>every base image is pinned to a full version tag ({@code name:1.2.3...}), never {@code latest} or a bare name;
 *   <li>the final stage runs as a user other than root, has a HEALTHCHECK, and bash with pipefail as its SHELL;
 *   <li>nothing secret is baked in: no ENV or ARG with a value whose name speaks of a token, password, secret or key,
 *       no COPY or ADD of key files, and sshd's host keys are deleted where openssh-server is installed;
 *   <li>every {@code apt-get install} has {@code --no-install-recommends}, and a RUN that installs cleans
 *       {@code /var/lib/apt/lists/*} in the same layer.
 * </ul>
 */
final class DockerfileRules {

    private static final Pattern FULL_TAG = Pattern.compile("[^\\s:@]+:\\d+\\.\\d+\\.\\d+[^\\s]*");
    private static final Pattern SECRET_NAME = Pattern.compile("TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE|(^|_)KEYS?$");
    private static final Pattern KEY_FILE = Pattern.compile("\\.pem\\b|\\.key\\b|\\bid_(rsa|ecdsa|ed25519|dsa)|ssh_host_");

    private DockerfileRules() {}

    /** One instruction: its keyword in upper case and its arguments, continuation lines joined. */
    record Instruction(String keyword, String args) {}

    static List<Instruction> parse(String dockerfile) {
        var instructions = new ArrayList<Instruction>();
        var pending = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String[] parts = pending.toString().strip().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
            pending.setLength(0);
        }
        return instructions;
    }

    static List<String> check(String dockerfile) {
        var problems = new ArrayList<String>();
        var instructions = parse(dockerfile);
        Set<String> stages = new HashSet<>();
        int finalStage = 0;
        for (int i = 0; i < instructions.size(); i++) {
            var instruction = instructions.get(i);
            String args = instruction.args();
            switch (instruction.keyword()) {
                case "FROM" -> {
                    finalStage = i;
                    String[] words = args.split("\\s+");
                    String image = words[0].startsWith("--") && words.length > 1 ? words[1] : words[0];
                    if (!stages.contains(image) && !FULL_TAG.matcher(image).matches()) {
                        problems.add("FROM " + image + " is not pinned to a full version tag");
                    }
                    if (words.length >= 3 && words[words.length - 2].equalsIgnoreCase("AS")) {
                        stages.add(words[words.length - 1]);
                    }
                }
                case "ENV", "ARG" -> secretsIn(instruction, problems);
                case "COPY", "ADD" -> {
                    if (KEY_FILE.matcher(args).find()) {
                        problems.add(instruction.keyword() + " " + args + " copies a key into the image");
                    }
                }
                case "RUN" -> aptRules(args, problems);
                default -> { }
            }
        }
        finalStageRules(instructions.subList(finalStage, instructions.size()), problems);
        return problems;
    }

    private static void secretsIn(Instruction instruction, List<String> problems) {
        for (String pair : instruction.args().split("\\s+")) {
            String[] nameValue = pair.split("=", 2);
            boolean hasValue = nameValue.length == 2 && !nameValue[1].isEmpty() && !nameValue[1].equals("\"\"");
            if (hasValue && SECRET_NAME.matcher(nameValue[0].toUpperCase(Locale.ROOT)).find()) {
                problems.add(instruction.keyword() + " " + nameValue[0] + " bakes a secret into the image");
            }
        }
    }

    private static void aptRules(String run, List<String> problems) {
        for (String command : run.split("&&|;|\\|\\|")) {
            if (command.matches(".*\\bapt-get\\s+(-\\S+\\s+)*install\\b.*") && !command.contains("--no-install-recommends")) {
                problems.add("apt-get install without --no-install-recommends: " + command.strip());
            }
        }
        if (run.matches("(?s).*\\bapt-get\\s+(-\\S+\\s+)*install\\b.*") && !run.contains("rm -rf /var/lib/apt/lists/*")) {
            problems.add("a RUN installs with apt-get but does not rm -rf /var/lib/apt/lists/* in the same layer");
        }
        if (run.contains("openssh-server") && !run.contains("rm -f /etc/ssh/ssh_host_")) {
            problems.add("openssh-server is installed but its host keys (/etc/ssh/ssh_host_*) stay in the image");
        }
    }

    private static void finalStageRules(List<Instruction> stage, List<String> problems) {
        String user = stage.stream().filter(i -> i.keyword().equals("USER")).map(Instruction::args)
                .reduce((first, last) -> last).orElse("root");
        if (user.equals("root") || user.equals("0") || user.startsWith("0:") || user.startsWith("root:")) {
            problems.add("the final stage runs as root (its last USER is " + user + ")");
        }
        if (stage.stream().noneMatch(i -> i.keyword().equals("HEALTHCHECK") && !i.args().equalsIgnoreCase("NONE"))) {
            problems.add("the final stage has no HEALTHCHECK");
        }
        if (stage.stream().noneMatch(i -> i.keyword().equals("SHELL") && i.args().contains("pipefail"))) {
            problems.add("the final stage has no SHELL with pipefail");
        }
    }
}
