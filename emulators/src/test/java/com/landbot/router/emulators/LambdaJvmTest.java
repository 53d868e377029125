package com.landbot.router.emulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LambdaJvmTest {

    @Test
    void theBuildCompilesTheBytecodeOfTheRuntimeTheTemplateNames() throws IOException {
        // Class file major version = 44 + the Java feature release it targets.
        try (InputStream in = LambdaJvm.class.getResourceAsStream("LambdaJvm.class");
             DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            int major = data.readUnsignedShort();
            assertEquals(LambdaJvm.feature(LambdaJvm.templateRuntime()), major - 44,
                    "template.yaml says " + LambdaJvm.templateRuntime() + ": the parent pom's maven.compiler.release must match");
        }
    }

    @Test
    void theJdkChosenForTheTemplatesRuntimeIsThatVersion() {
        int feature = LambdaJvm.feature(LambdaJvm.templateRuntime());
        assertEquals(String.valueOf(feature), LambdaJvm.version(LambdaJvm.jdk(feature)).split("\\.")[0]);
    }

    @Test
    void onlyLambdasJavaRuntimeNamesAreAccepted() {
        assertEquals(21, LambdaJvm.feature("java21"));
        assertThrows(IllegalArgumentException.class, () -> LambdaJvm.feature("python3.13"));
    }
}
