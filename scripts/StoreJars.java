import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites every jar in a function's lib/ with its entries stored, not deflated (the functions' Makefiles run it on
 * what `sam build` ships): `java scripts/StoreJars.java <dir>`.
 *
 * <p>Why: Lambda counts, and downloads at a cold start, the deployment package as one zip. Jars whose classes are
 * deflated one by one hardly compress again in it; stored jars compress in it as a whole, with what classes share
 * (the same names and signatures in every constant pool). bench/run measures what this buys (size and cold start).
 * Entry names, order, times and bytes are kept; a jar already stored is left as it is.
 */
public final class StoreJars {

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java scripts/StoreJars.java <directory of jars>");
            System.exit(2);
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        int rewritten = 0;
        for (Path jar : jars) {
            if (store(jar)) {
                rewritten++;
            }
        }
        System.out.println("StoreJars: " + rewritten + " of " + jars.size() + " jars in " + args[0] + " rewritten with stored entries");
    }

    /** @return false if every entry was stored already */
    static boolean store(Path jar) throws IOException {
        Path stored = jar.resolveSibling(jar.getFileName() + ".stored");
        try (ZipFile in = new ZipFile(jar.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(in.entries());
            if (entries.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED)) {
                return false;
            }
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stored))) {
                for (ZipEntry entry : entries) {
                    byte[] bytes;
                    try (InputStream content = in.getInputStream(entry)) {
                        bytes = content.readAllBytes();
                    }
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setMethod(ZipEntry.STORED);
                    copy.setSize(bytes.length);
                    copy.setCompressedSize(bytes.length);
                    copy.setCrc(crc.getValue());
                    copy.setTime(entry.getTime());
                    out.putNextEntry(copy);
                    out.write(bytes);
                    out.closeEntry();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(stored);
            throw e;
        }
        Files.move(stored, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
