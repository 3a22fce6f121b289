package com.example.images.product;

import com.example.images.seed.DemoCatalog;
import com.example.images.seed.StudioPhoto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real raster photos for the demo catalog's first products: painted ({@link StudioPhoto}),
 * then uploaded through the upload path ({@link ImageUploads#addFile}), so the worker makes
 * their renditions like any upload's. Product {@code p} gets {@code 6 - p} photos of one object
 * at the front of its gallery, and then the name of that object ("Bespoke Copper Boots" becomes
 * "Bespoke Copper Vase"); its placeholder images stay behind them and show until the photos are
 * ready. Runs on a thread of its own, so startup never waits for it.
 */
public final class DemoPhotos implements AutoCloseable {

    /** The products that get photos: 1 to 3. */
    public static final int PRODUCTS = 3;
    private static final Logger log = LoggerFactory.getLogger(DemoPhotos.class);

    private final Thread thread;

    private DemoPhotos(Thread thread) {
        this.thread = thread;
    }

    /** Starts adding the photos in the background. */
    public static DemoPhotos start(ImageUploads uploads, ProductWrites writes) {
        return new DemoPhotos(Thread.ofPlatform().daemon().name("demo-photos").start(() -> add(uploads, writes)));
    }

    /** The demo's name for {@code product} once it shows {@code subject}: its generated name, ending in the subject. */
    public static String name(long product, String subject) {
        String generated = DemoCatalog.productName(product);
        return generated.substring(0, generated.lastIndexOf(' ') + 1)
                + Character.toUpperCase(subject.charAt(0)) + subject.substring(1);
    }

    /** How many photos product {@code product} gets. */
    public static int photos(long product) {
        return (int) (6 - product);
    }

    private static void add(ImageUploads uploads, ProductWrites writes) {
        int added = 0;
        try {
            Path dir = Files.createTempDirectory("demo-photos");
            try {
                for (long product = 1; product <= PRODUCTS; product++) {
                    String subject = StudioPhoto.subject(product);
                    for (int shot = 0; shot < photos(product); shot++) {
                        if (Thread.currentThread().isInterrupted()) {
                            return;
                        }
                        Path file = dir.resolve(product + "-" + shot + ".jpg");
                        ImageIO.write(StudioPhoto.paint(product, shot), "jpg", file.toFile());
                        uploads.addFile(product, file, "Studio photo of a " + subject, shot);
                        Files.delete(file);
                        added++;
                    }
                    writes.rename(product, IfMatch.none(), name(product, subject));
                }
                log.info("Queued {} demo photos for products 1-{}; they show once their renditions are made", added, PRODUCTS);
            } finally {
                Files.deleteIfExists(dir);
            }
        } catch (Exception e) {
            // The demo keeps its placeholder images; nothing else depends on the photos.
            log.warn("Stopped adding demo photos after {}: {}", added, e.toString());
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
