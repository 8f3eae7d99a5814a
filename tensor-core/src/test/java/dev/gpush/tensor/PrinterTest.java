package dev.gpush.tensor;

import org.junit.jupiter.api.Test;

import static dev.gpush.tensor.Tensor.*;
import static org.junit.jupiter.api.Assertions.*;

/** Expected strings are what PyTorch 2.x prints for the same tensor (torch/_tensor_str.py, default options). */
class PrinterTest {
    @Test void floatMatrixAlignsColumnsWithFourDecimals() {
        Tensor t = of(new float[][]{{0.1234f, -1f}, {2.5f, 3f}});
        assertEquals("""
                tensor([[ 0.1234, -1.0000],
                        [ 2.5000,  3.0000]])""", t.toString());
        assertEquals("tensor([0.0000, 1.5000])", of(0f, 1.5f).toString());
        assertEquals("tensor([100.5000,  -0.5000])", of(100.5f, -0.5f).toString());
    }

    @Test void integerValuedFloatsPrintWithATrailingPoint() {
        assertEquals("tensor([1., 2., 3.])", of(1f, 2f, 3f).toString());
        assertEquals("tensor([-1.,  2.])", of(-1f, 2f).toString());
        assertEquals("tensor([0., 0.])", zeros(2).toString());
        assertEquals("tensor([-0., 1.])", of(-0f, 1f).toString());
    }

    @Test void wideDynamicRangePrintsScientific() {
        assertEquals("tensor([1.0000e-05, 1.0000e+00, 1.0000e+05])", of(1e-5f, 1f, 1e5f).toString());
        assertEquals("tensor([1.0000e+00, 1.0000e+09])", of(1f, 1e9f).toString());
        assertEquals("tensor([-1.0000e-05,  2.0000e+00])", of(-1e-5f, 2f).toString());
        assertEquals("tensor([1.2346e+08], dtype=torch.float64)", of(new double[]{123456789.0}).toString());
    }

    @Test void nonFiniteValuesTakeTheColumnWidthOfTheFiniteOnes() {
        assertEquals("tensor([1.5000,    nan,   -inf,    inf])",
                of(1.5f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY).toString());
        assertEquals("tensor([1., inf])", of(1f, Float.POSITIVE_INFINITY).toString());
        assertEquals("tensor([nan])", of(new float[]{Float.NaN}).toString());
    }

    @Test void digitsRoundHalfToEvenOnTheExactValueAsPythonDoes() {
        // 0.03125 and 0.09375 are exact binary ties at the fifth decimal
        assertEquals("tensor([0.0312, 0.0938], dtype=torch.float64)", of(0.03125, 0.09375).toString());
    }

    @Test void integersAndBoolsAlignRight() {
        assertEquals("tensor([  1, -20, 300])", of(1L, -20L, 300L).toString());
        assertEquals("tensor([1, 2], dtype=torch.int32)", of(1, 2).toString());
        assertEquals("tensor([ True, False,  True])", of(true, false, true).toString());
        assertEquals("tensor([True, True])", of(true, true).toString());
    }

    @Test void zeroDimTensorsPrintTheBareValue() {
        assertEquals("tensor(3.5000)", scalar(3.5, DType.FLOAT32).toString());
        assertEquals("tensor(2.)", scalar(2.0, DType.FLOAT32).toString());
        assertEquals("tensor(3)", scalar(3L).toString());
        assertEquals("tensor(True)", of(Boolean.TRUE).toString());
        assertEquals("tensor(3.5000, dtype=torch.float64)", scalar(3.5, DType.FLOAT64).toString());
    }

    @Test void emptyTensorsShowSizeUnlessOneDimAndAnyNonFloat32Dtype() {
        assertEquals("tensor([])", zeros(0).toString());
        assertEquals("tensor([], size=(0, 3))", zeros(0, 3).toString());
        assertEquals("tensor([], dtype=torch.int64)", zeros(DType.INT64, 0).toString());
        assertEquals("tensor([], size=(2, 0), dtype=torch.bool)", zeros(DType.BOOL, 2, 0).toString());
    }

    @Test void threeDimBlocksAreSeparatedByABlankLine() {
        assertEquals("""
                tensor([[[0, 1],
                         [2, 3]],

                        [[4, 5],
                         [6, 7]]])""", arange(8).view(2, 2, 2).toString());
    }

    @Test void longRowsWrapAtEightyColumns() {
        assertEquals("""
                tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,
                        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])""", arange(30).toString());
        assertEquals("""
                tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000, 2.5000, 3.0000, 3.5000, 4.0000,
                        4.5000, 5.0000, 5.5000, 6.0000, 6.5000, 7.0000, 7.5000, 8.0000, 8.5000,
                        9.0000, 9.5000])""", arange(0.0, 10.0, 0.5).toString());
    }

    @Test void largeVectorIsSummarisedToItsEdges() {
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", arange(2000).toString());
    }

    @Test void largeMatrixIsSummarisedAndFormattedFromTheShownElementsOnly() {
        assertEquals("""
                tensor([[   0,    1,    2,  ...,  997,  998,  999],
                        [1000, 1001, 1002,  ..., 1997, 1998, 1999]])""", arange(2000).view(2, 1000).toString());
        // shown values span 0..1999, a ratio over 1000, so floats go scientific and the rows wrap
        assertEquals("""
                tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.9700e+02, 9.9800e+02,
                         9.9900e+02],
                        [1.0000e+03, 1.0010e+03, 1.0020e+03,  ..., 1.9970e+03, 1.9980e+03,
                         1.9990e+03]])""", arange(2000).view(2, 1000).float_().toString());
        assertEquals("""
                tensor([[   0,    1],
                        [   2,    3],
                        [   4,    5],
                        ...,
                        [1994, 1995],
                        [1996, 1997],
                        [1998, 1999]])""", arange(2000).view(1000, 2).toString());
    }

    @Test void summarisedThreeDimElidesEveryLongDim() {
        String expected = """
                tensor([[[   0,    1,    2,  ...,   17,   18,   19],
                         [  20,   21,   22,  ...,   37,   38,   39],
                         [  40,   41,   42,  ...,   57,   58,   59],
                         ...,
                         [ 140,  141,  142,  ...,  157,  158,  159],
                         [ 160,  161,  162,  ...,  177,  178,  179],
                         [ 180,  181,  182,  ...,  197,  198,  199]],

                        [[ 200,  201,  202,  ...,  217,  218,  219],
                         [ 220,  221,  222,  ...,  237,  238,  239],
                         [ 240,  241,  242,  ...,  257,  258,  259],
                         ...,
                         [ 340,  341,  342,  ...,  357,  358,  359],
                         [ 360,  361,  362,  ...,  377,  378,  379],
                         [ 380,  381,  382,  ...,  397,  398,  399]],

                        [[ 400,  401,  402,  ...,  417,  418,  419],
                         [ 420,  421,  422,  ...,  437,  438,  439],
                         [ 440,  441,  442,  ...,  457,  458,  459],
                         ...,
                         [ 540,  541,  542,  ...,  557,  558,  559],
                         [ 560,  561,  562,  ...,  577,  578,  579],
                         [ 580,  581,  582,  ...,  597,  598,  599]],

                        ...,

                        [[1400, 1401, 1402,  ..., 1417, 1418, 1419],
                         [1420, 1421, 1422,  ..., 1437, 1438, 1439],
                         [1440, 1441, 1442,  ..., 1457, 1458, 1459],
                         ...,
                         [1540, 1541, 1542,  ..., 1557, 1558, 1559],
                         [1560, 1561, 1562,  ..., 1577, 1578, 1579],
                         [1580, 1581, 1582,  ..., 1597, 1598, 1599]],

                        [[1600, 1601, 1602,  ..., 1617, 1618, 1619],
                         [1620, 1621, 1622,  ..., 1637, 1638, 1639],
                         [1640, 1641, 1642,  ..., 1657, 1658, 1659],
                         ...,
                         [1740, 1741, 1742,  ..., 1757, 1758, 1759],
                         [1760, 1761, 1762,  ..., 1777, 1778, 1779],
                         [1780, 1781, 1782,  ..., 1797, 1798, 1799]],

                        [[1800, 1801, 1802,  ..., 1817, 1818, 1819],
                         [1820, 1821, 1822,  ..., 1837, 1838, 1839],
                         [1840, 1841, 1842,  ..., 1857, 1858, 1859],
                         ...,
                         [1940, 1941, 1942,  ..., 1957, 1958, 1959],
                         [1960, 1961, 1962,  ..., 1977, 1978, 1979],
                         [1980, 1981, 1982,  ..., 1997, 1998, 1999]]])""";
        assertEquals(expected, arange(2000).view(10, 10, 20).toString());
    }

    @Test void nonContiguousViewsPrintTheirLogicalValues() {
        assertEquals("""
                tensor([[0, 3],
                        [1, 4],
                        [2, 5]])""", arange(6).view(2, 3).t().toString());
        assertEquals("""
                tensor([[   0, 1000],
                        [   1, 1001],
                        [   2, 1002],
                        ...,
                        [ 997, 1997],
                        [ 998, 1998],
                        [ 999, 1999]])""", arange(2000).view(2, 1000).t().toString());
    }

    @Test void nonDefaultDtypesAreNamedAsInTorch() {
        assertEquals("tensor([1.5000, 2.0000], dtype=torch.float64)", of(1.5, 2.0).toString());
        assertEquals("tensor([1.5000], dtype=torch.float16)", of(new float[]{1.5f}).half().toString());
        assertEquals("tensor([1.5000], dtype=torch.bfloat16)", of(new float[]{1.5f}).bfloat16().toString());
    }

    @Test void autogradStateIsShownAfterTheDtype() {
        Tensor a = of(1f, 2f).requiresGrad(true);
        assertEquals("tensor([1., 2.], requires_grad=True)", a.toString());
        assertEquals("tensor([2., 4.], grad_fn=<MulBackward0>)", a.mul(2).toString());
        assertEquals("tensor(3., grad_fn=<SumBackward0>)", a.sum().toString());
        assertEquals("tensor([1., 2.])", a.detach().toString());
    }

    @Test void suffixesWrapOntoANewLineUnderTheBracket() {
        Tensor t = of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0).requiresGrad(true);
        assertEquals("""
                tensor([0.0000, 0.5000, 1.0000, 1.5000, 2.0000, 2.5000, 3.0000, 3.5000, 4.0000],
                       dtype=torch.float64, requires_grad=True)""", t.toString());
    }

    @Test void opNamesMapToPyTorchBackwardNodeNames() {
        assertEquals("MulBackward0", Printer.backwardName("mul"));
        assertEquals("LogSoftmaxBackward0", Printer.backwardName("log_softmax"));
        assertEquals("Log1PBackward0", Printer.backwardName("log1p"));
        assertEquals("SliceScatterBackward0", Printer.backwardName("slice_scatter"));
        assertEquals("ToCopyBackward0", Printer.backwardName("to"));
        assertEquals("MmBackward0", Printer.backwardName("matmul"));
    }

    @Test void closedTensorPrintsWithoutTouchingItsMemory() {
        Tensor t = zeros(2);
        t.close();
        assertEquals("tensor(<closed>, size=(2,))", t.toString());
    }

    @Test void printingRecordsNoGraphAndLeavesNothingInTheScope() {
        Tensor a = arange(2000).view(2, 1000).float_().requiresGrad(true);
        try (Scope s = Scope.open()) {
            a.toString();
            assertEquals(0, s.size());
        }
        assertTrue(a.isLeaf());
    }
}
