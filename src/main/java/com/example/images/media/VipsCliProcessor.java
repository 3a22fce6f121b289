package com.example.images.media;

import com.example.images.media.ImageRejectedException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

/**
 * {@link ImageProcessor} over Debian's libvips 8.14 command-line tools ({@code vips},
 * {@code vipsheader}; package libvips-tools). docs/MEDIA.md has the measurements behind using
 * the CLI rather than a binding, and the command lines.
 *
 * <p>An original is decoded once: {@code vips thumbnail} makes the largest rendition's pixels
 * (shrink-on-load, EXIF auto-rotation, any ICC profile or CMYK to 8-bit sRGB, first frame) into
 * an uncompressed {@code .v} file, and every rendition is made from that. At most
 * {@link ProcessingSettings#concurrentImages()} images are processed at once, each with at most
 * {@link ProcessingSettings#processesPerImage()} libvips processes, and each within
 * {@link ProcessingSettings#timeout()}.
 */
public final class VipsCliProcessor implements ImageProcessor {

    public static final String UNAVAILABLE = "uploads are off until libvips is installed (apt-get install libvips-tools)";

    /** Fits by width alone: thumbnail otherwise fits a width x width box. */
    private static final String ANY_HEIGHT = "10000000";
    private static final int TINY = 32;
    /** The longest side an image may have: the images table's width and height check. */
    public static final int MAX_SIDE = 20_000;

    private static final String JPEG_OPTIONS = "[Q=82,strip,optimize-coding,interlace,background=255]";
    private static final String WEBP_OPTIONS = "[Q=80,strip]";
    private static final String AVIF_OPTIONS = "[Q=50,compression=av1,bitdepth=8,strip]";
    private static final Pattern GLIB_PREFIX =
            Pattern.compile("^\\([^():\\s]+:\\d+\\): ([\\w-]+) \\*\\*: (?:\\d{2}:\\d{2}:\\d{2}\\.\\d+: )?", Pattern.MULTILINE);

    private static final Map<ImageFormat, String> LOADERS = Map.of(
            ImageFormat.JPEG, "jpegload", ImageFormat.PNG, "pngload", ImageFormat.WEBP, "webpload",
            ImageFormat.AVIF, "heifload", ImageFormat.GIF, "gifload");

    private final ProcessingSettings settings;
    private final String vips;
    private final String vipsheader;
    /** The check that libvips is there, run in the background from construction: empty when it is. */
    private final CompletableFuture<String> unavailableReason;
    private final Semaphore images;

    public VipsCliProcessor(ProcessingSettings settings) {
        this(settings, "vips", "vipsheader");
    }

    /** With the commands' names or paths: tests use a missing command to see the unavailable state. */
    VipsCliProcessor(ProcessingSettings settings, String vips, String vipsheader) {
        this.settings = settings;
        this.vips = vips;
        this.vipsheader = vipsheader;
        this.images = new Semaphore(settings.concurrentImages(), true);
        this.unavailableReason = CompletableFuture.supplyAsync(this::check,
                task -> Thread.ofPlatform().daemon().name("vips-check").start(task)).exceptionally(e -> UNAVAILABLE);
    }

    @Override
    public boolean available() {
        return unavailableReason().isEmpty();
    }

    @Override
    public String unavailableReason() {
        return unavailableReason.join();
    }

    private String check() {
        try {
            Path dir = Files.createTempDirectory("vips-check");
            try {
                String savers = run(List.of(vips, "-l", "foreign"), dir, Instant.now().plusSeconds(30));
                for (String saver : List.of("jpegsave", "webpsave", "heifsave", "heifload", "pngload", "gifload")) {
                    if (!savers.contains("(" + saver + ")")) {
                        return "uploads are off: this libvips has no " + saver + " (apt-get install libvips-tools)";
                    }
                }
                run(List.of(vipsheader, "--version"), dir, Instant.now().plusSeconds(30));
                return "";
            } finally {
                deleteTree(dir);
            }
        } catch (IOException | ProcessingException e) {
            return UNAVAILABLE;
        }
    }

    @Override
    public ImageInfo probe(Path original, ImageFormat format)
            throws ImageRejectedException, ProcessingException, IOException {
        requireAvailable();
        Map<String, String> header;
        Path dir = Files.createTempDirectory("vips-probe");
        try {
            header = fields(run(List.of(vipsheader, "-a", original.toString()), dir, Instant.now().plus(settings.timeout()), true));
        } catch (ProcessingException e) {
            throw new ImageRejectedException(Reason.UNREADABLE, "the " + format.name() + " image cannot be read: " + e.getMessage());
        } finally {
            deleteTree(dir);
        }
        String loader = header.getOrDefault("vips-loader", "");
        if (!loader.equals(LOADERS.get(format))) {
            throw new ImageRejectedException(Reason.UNREADABLE,
                    "the bytes start like " + format.name() + " but libvips reads them as " + (loader.isEmpty() ? "nothing" : loader));
        }
        int width = intField(header, "width");
        int height = intField(header, "height");
        if ((long) width * height > settings.maxImagePixels()) {
            throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, "the image declares " + width + "x" + height + " = "
                    + (long) width * height + " pixels; the limit is " + settings.maxImagePixels());
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, "the image declares " + width + "x" + height
                    + "; neither side may be more than " + MAX_SIDE + " px");
        }
        int orientation = header.containsKey("orientation") ? intField(header, "orientation") : 1;
        boolean turned = orientation >= 5 && orientation <= 8;
        int bands = intField(header, "bands");
        boolean cmyk = "cmyk".equals(header.get("interpretation"));
        boolean alpha = bands == 2 || (bands == 4 && !cmyk) || bands == 5;
        int pages = header.containsKey("n-pages") ? intField(header, "n-pages") : 1;
        return new ImageInfo(format, turned ? height : width, turned ? width : height, pages, alpha);
    }

    @Override
    public RenditionSet renditions(Path original, ImageInfo info, Path outDir) throws ProcessingException, IOException {
        requireAvailable();
        Instant deadline = Instant.now().plus(settings.timeout());
        try {
            if (!images.tryAcquire(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ProcessingException("timed out after " + seconds(settings.timeout()) + " waiting for a free worker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingException("interrupted");
        }
        try {
            return make(original, info, Files.createDirectories(outDir), deadline);
        } finally {
            images.release();
        }
    }

    private RenditionSet make(Path original, ImageInfo info, Path outDir, Instant deadline) throws ProcessingException, IOException {
        List<Integer> widths = ImageProcessor.widthsFor(info.width());
        int top = widths.getLast();
        Path work = Files.createTempDirectory(outDir, ".work-");
        try {
            Path topFile = work.resolve("top.v");
            run(List.of(vips, "thumbnail", original.toString(), topFile.toString(), String.valueOf(top),
                    "--height", ANY_HEIGHT, "--size", "down", "--export-profile", "srgb", "--fail-on", "error"), work, deadline, true);
            // top.v is upright but keeps the original's orientation tag: --no-rotate below, or it turns twice.
            List<List<String>> commands = new ArrayList<>();
            List<Rendition> planned = new ArrayList<>();
            // Largest AVIF first: the longest jobs start first and the short ones fill in around them.
            for (ImageFormat format : List.of(ImageFormat.AVIF, ImageFormat.WEBP, ImageFormat.JPEG)) {
                for (int i = widths.size() - 1; i >= 0; i--) {
                    int w = widths.get(i);
                    Path file = outDir.resolve(w + "." + format.extension());
                    String target = file + options(format);
                    commands.add(w == top
                            ? List.of(vips, "copy", topFile.toString(), target)
                            : List.of(vips, "thumbnail", topFile.toString(), target, String.valueOf(w),
                                    "--height", ANY_HEIGHT, "--size", "down", "--no-rotate"));
                    planned.add(new Rendition(format, w, 0, file, 0));
                }
            }
            Path tiny = work.resolve("tiny.png");
            commands.add(List.of(vips, "thumbnail", topFile.toString(), tiny.toString(), String.valueOf(TINY),
                    "--height", String.valueOf(TINY), "--no-rotate"));
            runAll(commands, work, deadline);

            Swatch swatch = Swatch.of(ImageIO.read(tiny.toFile()));
            Map<Integer, int[]> sizes = new HashMap<>();
            List<Rendition> renditions = new ArrayList<>();
            for (Rendition r : planned) {
                if (r.format() == ImageFormat.WEBP) {
                    WebpMetadata.strip(r.file());
                }
                if (r.format() == ImageFormat.JPEG) {
                    sizes.put(r.width(), jpegSize(r.file()));
                }
            }
            for (Rendition r : planned) {
                int[] size = sizes.get(r.width());
                renditions.add(new Rendition(r.format(), size[0], size[1], r.file(), Files.size(r.file())));
            }
            return new RenditionSet(info.width(), info.height(), swatch.color(), swatch.placeholder(), renditions);
        } finally {
            deleteTree(work);
        }
    }

    private static String options(ImageFormat format) {
        return switch (format) {
            case JPEG -> JPEG_OPTIONS;
            case WEBP -> WEBP_OPTIONS;
            case AVIF -> AVIF_OPTIONS;
            default -> throw new IllegalArgumentException("no renditions in " + format);
        };
    }

    private void runAll(List<List<String>> commands, Path work, Instant deadline) throws ProcessingException, IOException {
        Semaphore slots = new Semaphore(settings.processesPerImage());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (List<String> command : commands) {
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    try {
                        return run(command, work, deadline);
                    } finally {
                        slots.release();
                    }
                }));
            }
            try {
                for (Future<String> future : futures) {
                    future.get();
                }
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                switch (e.getCause()) {
                    case ProcessingException p -> throw p;
                    case IOException io -> throw io;
                    default -> throw new ProcessingException("processing failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new ProcessingException("interrupted");
            }
        }
    }

    private String run(List<String> command, Path work, Instant deadline) throws ProcessingException, IOException {
        return run(command, work, deadline, false);
    }

    /**
     * Runs one command to its end or the deadline; its output, or its error without the paths in
     * it. A command that reads an upload only gets the loaders libvips deems safe for untrusted
     * input (no ImageMagick, PDF, ...; nor its own .v format, which only the later steps read).
     */
    private String run(List<String> command, Path work, Instant deadline, boolean untrusted) throws ProcessingException, IOException {
        Path out = Files.createTempFile(work, "out-", ".txt");
        Path err = Files.createTempFile(work, "err-", ".txt");
        var builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (untrusted) {
            builder.environment().put("VIPS_BLOCK_UNTRUSTED", "1");
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ProcessingException(UNAVAILABLE, e);
        }
        try {
            long remaining = Duration.between(Instant.now(), deadline).toMillis();
            if (remaining <= 0 || !process.waitFor(remaining, TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new ProcessingException("timed out after " + seconds(settings.timeout()));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ProcessingException("interrupted");
        }
        try {
            if (process.exitValue() != 0) {
                throw new ProcessingException("libvips: " + clean(Files.readString(err, StandardCharsets.UTF_8), command));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The first lines of libvips' complaint, file paths replaced by their names and GLib's
     * "(vips:4242): VIPS-WARNING **: 10:41:07.123: " prefixes by their domain: a PID and a clock
     * say nothing to the merchant who reads the reason.
     */
    static String clean(String stderr, List<String> command) {
        String text = GLIB_PREFIX.matcher(stderr.strip()).replaceAll("$1: ");
        for (String arg : command) {
            if (arg.contains("/")) {
                String path = arg.replaceAll("\\[.*", "");
                text = text.replace(path, Path.of(path).getFileName().toString());
            }
        }
        String[] lines = text.lines().filter(l -> !l.isBlank()).limit(3).toArray(String[]::new);
        return lines.length == 0 ? "exit status without a message" : String.join("; ", lines);
    }

    private static Map<String, String> fields(String header) {
        Map<String, String> fields = new HashMap<>();
        for (String line : header.lines().toList()) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
            }
        }
        return fields;
    }

    private static int intField(Map<String, String> header, String name) throws ImageRejectedException {
        try {
            return Integer.parseInt(header.getOrDefault(name, "").split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            throw new ImageRejectedException(Reason.UNREADABLE, "the image header has no " + name);
        }
    }

    private static int[] jpegSize(Path file) throws IOException {
        try (var in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        }
    }

    private void requireAvailable() throws ProcessingException {
        if (!available()) {
            throw new ProcessingException(unavailableReason());
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
