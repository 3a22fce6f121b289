package com.example.images.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 store against a real S3 API: S3Proxy on a filesystem backend, started here. No mocks. */
class S3BlobStoreTest extends BlobStoreContract {

    private static S3Proxy proxy;
    private static URI endpoint;

    private S3BlobStore store;
    private S3Client admin;
    private String bucket;

    @BeforeAll
    static void startS3() throws Exception {
        var backend = Files.createTempDirectory("s3proxy");
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(backend.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-identity", "test-credential")
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        // The store finds these through the SDK's default credential chain, as it would find a role's.
        System.setProperty("aws.accessKeyId", "test-identity");
        System.setProperty("aws.secretAccessKey", "test-credential");
    }

    @AfterAll
    static void stopS3() throws Exception {
        proxy.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @BeforeEach
    void open() {
        bucket = "media-" + System.nanoTime();
        store = S3BlobStore.open(URI.create("s3://" + bucket + "/shop/media"), Optional.of(endpoint));
        admin = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).build();
        admin.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void close() {
        store.close();
        admin.close();
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Override
    List<String> stored() {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .map(key -> {
                    assertThat(key).startsWith("shop/media/");
                    return key.substring("shop/media/".length());
                }).toList();
    }

    @Test
    void objects_carry_their_content_type_and_an_immutable_cache_control() throws Exception {
        var blob = store.put(Files.writeString(dir.resolve("x"), "headers " + System.nanoTime()), "webp", "image/webp");

        var head = admin.headObject(b -> b.bucket(bucket).key("shop/media/" + blob.key()));

        assertThat(head.contentType()).isEqualTo("image/webp");
        assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(head.contentLength()).isEqualTo(blob.size());
    }

    @Test
    void a_location_that_is_not_s3_is_refused_with_the_setting_named() {
        assertThatThrownBy(() -> S3BlobStore.open(URI.create("http://bucket/prefix"), Optional.of(endpoint)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--media-store must be a directory or s3://bucket/prefix, got http://bucket/prefix");
    }
}
