package com.example.images.product;

import com.example.images.db.Transactions;
import com.example.images.gallery.GalleryRepository;
import com.example.images.gallery.GalleryJson;
import com.example.images.http.Echo;
import com.example.images.http.FieldError;
import com.example.images.http.ProblemException;
import com.example.images.media.ImageInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Every change to products and galleries. Each runs in one transaction that first locks the
 * product's row, so writes to one product queue up behind each other and always see each
 * other's committed results; no write takes a second row lock before the first, so they
 * cannot deadlock. Under that lock a write checks If-Match, does its work, bumps the
 * product's version and commits; only then does it tell {@code galleryChanged} and answer.
 */
public final class ProductWrites {

    /** The most images one product may have. */
    public static final int MAX_IMAGES = 250;

    /** An image as a write left it, and the product's version after the write. */
    public record ImageWritten(Image image, long version) {
    }

    private final Transactions transactions;
    private final ProductRepository repository;
    private final GalleryRepository galleries;
    private final LongConsumer galleryChanged;

    /**
     * @param galleryChanged told the id of every product whose gallery a committed write changed
     *                       (or created, or deleted), for invalidating cached copies
     */
    public ProductWrites(Transactions transactions, ProductRepository repository, GalleryRepository galleries,
                         LongConsumer galleryChanged) {
        this.transactions = transactions;
        this.repository = repository;
        this.galleries = galleries;
        this.galleryChanged = galleryChanged;
    }

    GalleryJson create(NewProduct product) throws SQLException {
        GalleryJson created = transactions.inTransaction(c -> {
            long id = repository.insertProduct(c, product.name());
            if (product.images() != null && !product.images().isEmpty()) {
                repository.insertImages(c, id, product.images());
            }
            return product(c, id);
        });
        galleryChanged.accept(created.productId());
        return created;
    }

    GalleryJson rename(long productId, IfMatch ifMatch, String name) throws SQLException {
        return write(productId, ifMatch, c -> {
            repository.rename(c, productId, name);
            repository.bumpVersion(c, productId);
            return product(c, productId);
        });
    }

    void delete(long productId, IfMatch ifMatch) throws SQLException {
        write(productId, ifMatch, c -> {
            repository.deleteProduct(c, productId);
            return null;
        });
    }

    ImageWritten addImage(long productId, IfMatch ifMatch, NewImage image) throws SQLException {
        return write(productId, ifMatch, c -> {
            int position = newPosition(c, productId, image.position());
            repository.deferKey(c);
            repository.shiftUpFrom(c, productId, position);
            long imageId = repository.insertImage(c, productId, position, image);
            long version = repository.bumpVersion(c, productId);
            return new ImageWritten(repository.image(c, productId, imageId).orElseThrow(), version);
        });
    }

    /**
     * Adds an uploaded image, 'processing', under the product's lock as {@link #addImage} does
     * (the same cap and positions): references its stored original and queues its job in the
     * same transaction.
     */
    ImageWritten addUploaded(long productId, IfMatch ifMatch, String alt, Integer requestedPosition,
                             com.example.images.media.BlobStore.Blob original, String contentType, ImageInfo info,
                             com.example.images.media.MediaBlobs blobs) throws SQLException {
        var jobs = new com.example.images.media.MediaJobs(transactions, blobs);
        return write(productId, ifMatch, c -> {
            int position = newPosition(c, productId, requestedPosition);
            blobs.reference(c, original);
            repository.deferKey(c);
            repository.shiftUpFrom(c, productId, position);
            long imageId = repository.insertUploaded(c, productId, position, alt, original.key(), original.size(),
                    contentType, info.width(), info.height());
            jobs.enqueue(c, productId, imageId);
            long version = repository.bumpVersion(c, productId);
            return new ImageWritten(repository.image(c, productId, imageId).orElseThrow(), version);
        });
    }

    /**
     * The checks of {@link #addUploaded} (the product exists, If-Match, fewer than 250 images, the
     * position) made without the lock, before an upload's original is stored: a refusal then
     * leaves nothing behind. {@code addUploaded} makes them again under the lock.
     */
    void checkAddable(long productId, IfMatch ifMatch, Integer requestedPosition) throws SQLException {
        transactions.inTransaction(c -> {
            OptionalLong version = repository.version(c, productId);
            if (version.isEmpty()) {
                throw noSuchProduct(productId);
            }
            ifMatch.check(productId, version.getAsLong());
            return newPosition(c, productId, requestedPosition);
        });
    }

    ImageWritten updateImage(long productId, long imageId, IfMatch ifMatch, ImagePatch patch, Set<String> members)
            throws SQLException {
        return write(productId, ifMatch, c -> {
            Image current = repository.image(c, productId, imageId).orElseThrow(() -> noSuchImage(productId, imageId));
            requireOwnFields(current, members);
            Image changed = current.withFields(
                    members.contains("url") ? patch.url() : current.url(),
                    members.contains("thumbnailUrl") ? patch.thumbnailUrl() : current.thumbnailUrl(),
                    members.contains("alt") ? patch.alt() : current.alt(),
                    members.contains("width") ? patch.width() : current.width(),
                    members.contains("height") ? patch.height() : current.height());
            repository.updateImage(c, changed);
            if (patch.position() != null && patch.position() != current.position()) {
                int count = repository.countImages(c, productId);
                if (patch.position() >= count) {
                    throw ProblemException.invalidField("position", "must be between 0 and " + (count - 1)
                            + " (the product has " + count + " images), got " + patch.position());
                }
                repository.deferKey(c);
                repository.move(c, productId, imageId, current.position(), patch.position());
            }
            long version = repository.bumpVersion(c, productId);
            return new ImageWritten(repository.image(c, productId, imageId).orElseThrow(), version);
        });
    }

    /** An uploaded image's url, thumbnail and size follow its renditions; a PATCH would leave sources pointing elsewhere. */
    private static void requireOwnFields(Image image, Set<String> members) {
        var derived = members.stream().filter(m -> Set.of("url", "thumbnailUrl", "width", "height").contains(m)).sorted().toList();
        if (image.uploaded() && !derived.isEmpty()) {
            throw ProblemException.conflict("Image " + image.id() + " was uploaded: its " + String.join(", ", derived)
                    + " follow its renditions and cannot be changed. Change alt or position, or upload a new image.");
        }
    }

    long deleteImage(long productId, long imageId, IfMatch ifMatch) throws SQLException {
        return write(productId, ifMatch, c -> {
            OptionalLong position = repository.deleteImage(c, productId, imageId);
            if (position.isEmpty()) {
                throw noSuchImage(productId, imageId);
            }
            repository.deferKey(c);
            repository.shiftDownAfter(c, productId, (int) position.getAsLong());
            return repository.bumpVersion(c, productId);
        });
    }

    GalleryJson reorder(long productId, IfMatch ifMatch, List<Long> imageIds) throws SQLException {
        return write(productId, ifMatch, c -> {
            List<Long> current = repository.imageIds(c, productId);
            requireSameImages(productId, current, imageIds);
            repository.deferKey(c);
            repository.reorder(c, productId, imageIds);
            repository.bumpVersion(c, productId);
            return product(c, productId);
        });
    }

    /** Where a new image goes (the end when not asked), under the product's lock: a 409 past the cap, a 422 past the end. */
    private int newPosition(Connection c, long productId, Integer requested) throws SQLException {
        int count = repository.countImages(c, productId);
        if (count >= MAX_IMAGES) {
            throw ProblemException.conflict("Product " + productId + " already has " + count + " images, the most a "
                    + "product may have is " + MAX_IMAGES + ". Delete one before adding another.");
        }
        int position = requested == null ? count : requested;
        if (position > count) {
            throw ProblemException.invalidField("position", "must be between 0 and " + count
                    + " (the product has " + count + " images; " + count + " appends), got " + position);
        }
        return position;
    }

    /** Lock, check the precondition, work, commit; then report the change. */
    private <T> T write(long productId, IfMatch ifMatch, Transactions.Work<T> work) throws SQLException {
        T result = transactions.inTransaction(c -> {
            OptionalLong version = repository.lock(c, productId);
            if (version.isEmpty()) {
                throw noSuchProduct(productId);
            }
            ifMatch.check(productId, version.getAsLong());
            return work.run(c);
        });
        galleryChanged.accept(productId);
        return result;
    }

    private GalleryJson product(Connection c, long productId) throws SQLException {
        return galleries.findProduct(c, productId).orElseThrow(() -> new IllegalStateException(
                "product " + productId + " vanished inside its own transaction"));
    }

    private static ProblemException noSuchProduct(long productId) {
        return ProblemException.notFound("There is no product with id " + productId + ".");
    }

    static ProblemException noSuchImage(long productId, long imageId) {
        return ProblemException.notFound("Product " + productId + " has no image with id " + imageId + ".");
    }

    /** A 422 that lists what is missing, unknown and repeated, unless {@code given} is a permutation of {@code current}. */
    private static void requireSameImages(long productId, List<Long> current, List<Long> given) {
        var currentSet = new HashSet<>(current);
        var seen = new HashSet<Long>();
        var duplicated = new LinkedHashSet<Long>();
        var unknown = new LinkedHashSet<Long>();
        for (Long id : given) {
            if (!seen.add(id)) {
                duplicated.add(id);
            }
            if (!currentSet.contains(id)) {
                unknown.add(id);
            }
        }
        var missing = new ArrayList<Long>();
        for (Long id : current) {
            if (!seen.contains(id)) {
                missing.add(id);
            }
        }
        if (missing.isEmpty() && unknown.isEmpty() && duplicated.isEmpty()) {
            return;
        }
        var errors = new ArrayList<FieldError>();
        if (!missing.isEmpty()) {
            errors.add(new FieldError("imageIds", "is missing " + Echo.list(missing, "image ids") + " of product " + productId));
        }
        if (!unknown.isEmpty()) {
            errors.add(new FieldError("imageIds", "names " + Echo.list(unknown, "ids") + " that are not images of product " + productId));
        }
        if (!duplicated.isEmpty()) {
            errors.add(new FieldError("imageIds", "repeats " + Echo.list(duplicated, "ids")));
        }
        var members = new LinkedHashMap<String, Object>();
        members.put("missing", missing);
        members.put("unknown", List.copyOf(unknown));
        members.put("duplicated", List.copyOf(duplicated));
        String detail = "imageIds must list exactly the " + current.size() + " image ids of product " + productId
                + ", each once: " + String.join("; ", errors.stream().map(FieldError::reason).toList());
        throw ProblemException.invalidFields(detail, errors, members);
    }
}
