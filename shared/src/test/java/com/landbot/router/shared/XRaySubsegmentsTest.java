package com.landbot.router.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trace header and daemon address rules; the sending itself is {@link XRaySubsegmentsIntegrationTest}. */
class XRaySubsegmentsTest {

    private static final String TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String SAMPLED = "Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1";

    @Test
    void theDaemonAddressMayNameUdpAndTcpSeparately() {
        assertEquals(new InetSocketAddress("169.254.79.129", 2000), XRaySubsegments.udpAddress("169.254.79.129:2000"));
        assertEquals(new InetSocketAddress("127.0.0.2", 2001),
                XRaySubsegments.udpAddress("tcp:127.0.0.1:2000 udp:127.0.0.2:2001"));
        assertEquals(new InetSocketAddress("127.0.0.2", 2001),
                XRaySubsegments.udpAddress("udp:127.0.0.2:2001 tcp:127.0.0.1:2000"));
        assertThrows(IllegalArgumentException.class, () -> XRaySubsegments.udpAddress("tcp:127.0.0.1:2000"));
        assertTrue(XRaySubsegments.fromEnvironment(Map.of("AWS_XRAY_DAEMON_ADDRESS", "nonsense")).isEmpty());
        assertTrue(XRaySubsegments.fromEnvironment(Map.of()).isEmpty());
    }

    @Test
    void onlyACompleteSampledHeaderNamesATrace() {
        assertEquals(new XRaySubsegments.Trace(TRACE_ID, "53995c3f42cd8ad8"), XRaySubsegments.Trace.sampled(SAMPLED));
        assertNull(XRaySubsegments.Trace.sampled("Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=0"));
        assertNull(XRaySubsegments.Trace.sampled("Root=" + TRACE_ID + ";Sampled=1"));
        assertNull(XRaySubsegments.Trace.sampled(""));
        assertNull(XRaySubsegments.Trace.sampled(null));
    }

    @Test
    void theRuntimesPerInvocationPropertyWinsOverTheEnvironment() {
        System.setProperty(XRaySubsegments.TRACE_HEADER_PROPERTY, SAMPLED);
        try {
            assertEquals(SAMPLED, XRaySubsegments.currentTraceHeader());
        } finally {
            System.clearProperty(XRaySubsegments.TRACE_HEADER_PROPERTY);
        }
    }
}
