package org.scalinglab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which CPU kernel paths a process runs, and who chose them. */
class CpuKernelsTest {
    @Test
    void pinsWhatTheUserLeftAndKeepsWhatTheyExported() {
        Map<String, String> env = Map.of("MKL_CBWR", "COMPATIBLE");
        List<CpuKernels.Setting> s = CpuKernels.decide(env::get);
        assertEquals(List.of(new CpuKernels.Setting("ATEN_CPU_CAPABILITY", "avx2", CpuKernels.Source.SCALINGLAB),
                new CpuKernels.Setting("MKL_CBWR", "COMPATIBLE", CpuKernels.Source.USER),
                new CpuKernels.Setting("ONEDNN_MAX_CPU_ISA", "AVX2", CpuKernels.Source.SCALINGLAB)), s);
    }

    @Test
    void nativeModeLeavesTheCpuToChooseButStillKeepsTheUsersValues() {
        Map<String, String> env = Map.of(CpuKernels.MODE_VARIABLE, "native", "ATEN_CPU_CAPABILITY", "avx512");
        List<CpuKernels.Setting> s = CpuKernels.decide(env::get);
        assertEquals(new CpuKernels.Setting("ATEN_CPU_CAPABILITY", "avx512", CpuKernels.Source.USER), s.get(0));
        assertEquals(new CpuKernels.Setting("MKL_CBWR", null, CpuKernels.Source.LIBRARY), s.get(1));
        assertEquals("ATEN_CPU_CAPABILITY=avx512 (user), MKL_CBWR=(the CPU's) (library), ONEDNN_MAX_CPU_ISA=(the "
                + "CPU's) (library)", CpuKernels.describe(s));
    }
}
