package dev.gpush.kernel.engine;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LocalExecutionControlProvider;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs every snippet of a session on one long-lived thread, {@code gpush-main}, as Python runs every cell on its
 * main thread.
 *
 * <p>Note [one main thread]: JShell's own local execution starts a new thread for each snippet. Then thread-local
 * state dies between cells: an open {@code Scope}, {@code Autograd.noGrad()}, an {@code Autocast} block, a CUDA
 * stream made current. Running every snippet on one thread keeps that state for the life of the session.
 *
 * <p>Note [interrupts]: {@link #stop()} interrupts the main thread. Library code stops at its next op or blocking
 * call (tensor ops check the interrupt flag; sleep and I/O throw); snippet code itself stops at its next method
 * entry or backward branch, because every class loaded from a snippet gets a call to {@link Interrupted#check()}
 * woven in there, as the JDK's {@code LocalExecutionControl} does with its own stop flag.
 */
final class MainThread extends DirectExecutionControl {

    private static final ClassDesc CHECK_OWNER = ClassDesc.of(Interrupted.class.getName());

    private final ExecutorService main = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "gpush-main");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Thread thread;
    /** The value of the last snippet run, as an object: the engine renders it for display. */
    private volatile Object lastValue;

    /** The provider that JShell's builder takes. */
    static final class Provider extends LocalExecutionControlProvider {
        MainThread control;

        @Override
        public String name() {
            return "gpush";
        }

        @Override
        public ExecutionControl createExecutionControl(ExecutionEnv env, Map<String, String> parameters) {
            control = new MainThread();
            return control;
        }
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException, NotImplementedException,
            EngineTerminationException {
        super.load(Stream.of(classes).map(c -> new ClassBytecodes(c.name(), weave(c.bytecodes())))
                .toArray(ClassBytecodes[]::new));
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        // Method.invoke wraps what the snippet threw in InvocationTargetException, which JShell unwraps
        Object value = Thread.currentThread() == thread ? doit.invoke(null) // a magic's Java: run it right here
                : call(() -> {
                    // snippets' classes by name (Class.forName, ServiceLoader) from the thread's context loader
                    Thread.currentThread().setContextClassLoader(doit.getDeclaringClass().getClassLoader());
                    return doit.invoke(null);
                });
        lastValue = value;
        return valueString(value);
    }

    /**
     * Runs {@code task} on the main thread and waits for it, as a snippet runs: magics run this way, so that an
     * interrupt reaches them and they see the cell's thread-local state.
     */
    <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
        Future<T> result = main.submit(() -> {
            thread = Thread.currentThread();
            Thread.interrupted(); // an interrupt that came after the last snippet ended is not for this one
            try {
                return task.call();
            } finally {
                thread = null;
            }
        });
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    /** The object the last snippet evaluated to (null for statements and declarations without a value). */
    Object lastValue() {
        return lastValue;
    }

    void forgetLastValue() {
        lastValue = null;
    }

    /** The thread running a snippet now, or null when none runs. */
    Thread running() {
        return thread;
    }

    @Override
    public void stop() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public void close() {
        main.shutdownNow();
        super.close();
    }

    private static byte[] weave(byte[] classFile) {
        var files = ClassFile.of();
        return files.transformClass(files.parse(classFile),
                ClassTransform.transformingMethodBodies(CodeTransform.ofStateful(CheckWeaver::new)));
    }

    /** Inserts {@code Interrupted.check()} at method start and before each backward branch. */
    private static final class CheckWeaver implements CodeTransform {
        private final Set<Label> seen = new HashSet<>();

        @Override
        public void atStart(CodeBuilder builder) {
            check(builder);
        }

        @Override
        public void accept(CodeBuilder builder, CodeElement element) {
            switch (element) {
                case LabelTarget target -> seen.add(target.label());
                case BranchInstruction branch when seen.contains(branch.target()) -> check(builder);
                default -> { }
            }
            builder.with(element);
        }

        private static void check(CodeBuilder builder) {
            builder.invokestatic(CHECK_OWNER, "check", ConstantDescs.MTD_void);
        }
    }
}
