package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.DeviceUsage;
import dev.gpush.cuda.GpuProcess;
import dev.gpush.cuda.Nvml;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** %device, %memory and %empty_cache: on the CPU they say why there is no GPU; on a GPU they show real numbers. */
class GpuMagicsTest {

    /** Records what a magic prints; the GPU magics need nothing else of the session. */
    static final class Printed implements MagicContext {
        final StringBuilder out = new StringBuilder();

        @Override public boolean eval(String source) { throw new UnsupportedOperationException(); }
        @Override public Object evalValue(String expression) { throw new UnsupportedOperationException(); }
        @Override public void print(String text) { out.append(text); }
        @Override public void printError(String text) { out.append(text); }
        @Override public void display(Object value) { throw new UnsupportedOperationException(); }
        @Override public void setNextInput(String text) { throw new UnsupportedOperationException(); }
        @Override public void addToClasspath(String path) { throw new UnsupportedOperationException(); }
        @Override public List<Variable> variables() { return List.of(); }
        @Override public void reset() { throw new UnsupportedOperationException(); }
        @Override public Magics magics() { return new Magics(List.of()); }
    }

    @Test
    void aTableIsAlignedTextForTerminalsAndHtmlForNotebooks() {
        var table = new Table("title", "a", "bee").row("long cell", 1).row("x", 22).note("a note");
        assertEquals("title\na          bee\n---------  ---\nlong cell  1\nx          22\na note\n", table.toString());
        assertEquals("<p><b>title</b></p><table><tr><th>a</th><th>bee</th></tr><tr><td>long cell</td><td>1</td></tr>"
                + "<tr><td>x</td><td>22</td></tr></table><p>a note</p>", table.toHtml());
        assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
    }

    @Test
    void withoutAGpuTheMagicsShowTheCpuAndSayWhy() throws Exception {
        assumeFalse(Cuda.isAvailable());
        var device = (Table) new DeviceMagic().run(new Printed(), "", null);
        assertTrue(device.toString().startsWith("cpu (no CUDA: " + Cuda.unavailableReason() + ")"), device::toString);
        assertTrue(((String) device.mimeBundle().get("text/html")).contains("<table>"));

        var memory = new Printed();
        assertEquals(null, new MemoryMagic().run(memory, "", null));
        assertTrue(memory.out.toString().contains("CUDA is not available (") && memory.out.toString().contains("Java heap"));

        var empty = new Printed();
        new EmptyCacheMagic().run(empty, "--gc", null);
        assertTrue(empty.out.toString().startsWith("garbage collection: Java heap "), empty.out::toString);
        assertTrue(empty.out.toString().contains("no GPU cache to empty"), empty.out::toString);
    }

    @Test
    void withoutAGpuDeviceSaysWhyNvmlIsMissingToo() {
        assumeFalse(Cuda.isAvailable());
        String text = new DeviceMagic().run(new Printed(), "", null).toString();
        assertTrue(text.contains("\ncpu "), text);
        assertTrue(text.contains("NVML not available: " + Nvml.unavailableReason()), text);
    }

    @Test
    void nvmlFiguresReadAsNvidiaSmiShowsThem() {
        var u = new DeviceUsage(37, 12, 64, 312.4, 700, List.of(new GpuProcess(4242, "java", 3L << 30),
                new GpuProcess(77, "?", -1)));
        assertEquals("37 % / 12 %", DeviceMagic.busy(u));
        assertEquals("64 C", DeviceMagic.temperature(u));
        assertEquals("312 W / 700 W", DeviceMagic.power(u));
        assertEquals("cuda:1 processes: 4242 java 3.0 GiB, 77 ? (memory n/a)", DeviceMagic.processes(1, u));
        var unknown = new DeviceUsage(-1, -1, -1, -1, -1, List.of());
        assertEquals("n/a / n/a", DeviceMagic.busy(unknown));
        assertEquals("n/a", DeviceMagic.temperature(unknown));
        assertEquals("n/a / n/a", DeviceMagic.power(unknown));
        assertEquals("cuda:0 processes: none", DeviceMagic.processes(0, unknown));
        assertEquals("n/a", DeviceMagic.busy(null), "no NVML");
    }

    @Test
    @Tag("gpu")
    void onAGpuDeviceShowsNvmlFigures() {
        assumeTrue(Cuda.isAvailable(), () -> "no GPU: " + Cuda.unavailableReason());
        assumeTrue(Nvml.isAvailable(), () -> "no NVML: " + Nvml.unavailableReason());
        Tensor t = Tensor.ones(Device.cuda(0), 1024);   // this process now has a context on cuda:0
        String text = new DeviceMagic().run(new Printed(), "", null).toString();
        assertTrue(text.startsWith("CUDA: driver " + Nvml.driverVersion()), text);
        assertTrue(text.matches("(?s).*cuda:0 .* \\d+ C .*\\d+ W / \\d+ W.*"), text);
        assertTrue(text.contains("cuda:0 processes: "), text);
        t.close();
    }

    @Test
    void badArgumentsGiveTheUsage() {
        var e = assertThrows(MagicException.class, () -> new MemoryMagic().run(new Printed(), "--sights", null));
        assertEquals("unknown argument --sights\n" + MemoryMagic.USAGE, e.getMessage());
        assertThrows(MagicException.class, () -> new MemoryMagic().run(new Printed(), "--device cuda:x", null));
        assertThrows(MagicException.class, () -> new EmptyCacheMagic().run(new Printed(), "now", null));
        assertThrows(MagicException.class, () -> new DeviceMagic().run(new Printed(), "0", null));
    }

    @Test
    @Tag("gpu")
    void onAGpuMemoryFiguresFollowTensorsAndTheCacheIsReturned() throws Exception {
        assumeTrue(Cuda.isAvailable(), () -> "no GPU: " + Cuda.unavailableReason());
        var device = (Table) new DeviceMagic().run(new Printed(), "", null);
        assertTrue(device.toString().contains("cuda:0") && device.toString().contains(Cuda.deviceName(0)));

        long before = Cuda.memoryAllocated(0);
        Tensor big = Tensor.zeros(Device.cuda(0), 1024, 1024);
        var memory = new Printed();
        new MemoryMagic().run(memory, "--device 0", null);
        assertTrue(Cuda.memoryAllocated(0) >= before + 4L * 1024 * 1024);
        assertTrue(memory.out.toString().contains("live tensors (active blocks): "), memory.out::toString);

        big.close();
        long reserved = Cuda.memoryReserved(0);
        var empty = new Printed();
        new EmptyCacheMagic().run(empty, "", null);
        assertTrue(empty.out.toString().contains("cuda:0: reserved "), empty.out::toString);
        assertTrue(Cuda.memoryReserved(0) < reserved, "the freed block's segment went back to the driver");
        assertTrue(Cuda.memoryReserved(0) >= Cuda.memoryAllocated(0));
    }
}
