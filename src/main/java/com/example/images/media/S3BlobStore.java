package com.example.images.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs in an S3 bucket under a prefix, through the AWS SDK v2 with its default credential
 * chain (environment, system properties, profile, container or instance role). With an
 * endpoint it talks to any S3-compatible store (MinIO, Ceph, R2, S3Proxy) in path style.
 * Objects are written once with an immutable Cache-Control, so a CDN may keep them for ever.
 */
public final class S3BlobStore implements BlobStore {

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * The store that {@code s3://bucket/prefix} names, through {@code endpoint} when given. The
     * region comes from the SDK's usual chain (AWS_REGION, profile, instance metadata); with an
     * endpoint, from aws.region or AWS_REGION, else us-east-1, which S3-compatible stores accept.
     */
    public static S3BlobStore open(URI location, Optional<URI> endpoint) {
        if (!"s3".equals(location.getScheme()) || location.getHost() == null || location.getHost().isEmpty()) {
            throw new IllegalArgumentException("--media-store must be a directory or s3://bucket/prefix, got " + location);
        }
        var builder = S3Client.builder();
        endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        builder.region(region(endpoint.isPresent()));
        String path = location.getPath() == null ? "" : location.getPath();
        return new S3BlobStore(builder.build(), location.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }

    private static Region region(boolean customEndpoint) {
        if (customEndpoint) {
            // Not the whole chain: its last link asks EC2 instance metadata, seconds of timeouts off EC2.
            String configured = System.getProperty("aws.region", System.getenv("AWS_REGION"));
            return configured == null || configured.isBlank() ? Region.US_EAST_1 : Region.of(configured);
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            throw new IllegalArgumentException("no AWS region configured for the S3 media store (set AWS_REGION)", e);
        }
    }

    @Override
    public Blob put(Blob blob, Path file, String contentType) throws IOException {
        String key = blob.key();
        if (size(key).isPresent()) {
            return blob;
        }
        try {
            s3.putObject(b -> b.bucket(bucket).key(prefix + key).contentType(contentType).cacheControl(IMMUTABLE)
                    .contentLength(blob.size()), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IOException("S3 put of " + key + " failed: " + e.getMessage(), e);
        }
        return blob;
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        BlobStore.requireKey(key);
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(prefix + key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 head of " + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 head of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        BlobStore.requireKey(key);
        if (length <= 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(b -> b.bucket(bucket).key(prefix + key).range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw new IOException("S3 get of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void copyTo(String key, Path target) throws IOException {
        BlobStore.requireKey(key);
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(prefix + key))) {
            java.nio.file.Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw new IOException("S3 get of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        BlobStore.requireKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw new IOException("S3 delete of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
