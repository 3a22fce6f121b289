package com.example.images.dbcmp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Runs each store in turn: start, load (timed), check galleries against the generator, size on
 * disk, warm up, reads at each of {@link Options#clients} with uniform and Zipf(1) ids (server memory
 * sampled meanwhile), writes at one client, the concurrency test, stop. Any gallery that differs from the
 * catalog, or from the same writes applied to it in memory, fails the run.
 */
final class Harness {

    static final int CONCURRENT_APPENDS = 40;

    private final Options options;
    private final Catalog catalog;
    private final AtomicLong nextImageId;

    Harness(Options options) {
        this.options = options;
        this.catalog = new Catalog(options.products(), options.randomSeed());
        this.nextImageId = new AtomicLong();
    }

    /** Runs each store in turn; {@code afterEachStore} sees the results so far, so a long run keeps what it measured. */
    Results run(String command, java.util.function.Consumer<Results> afterEachStore) throws Exception {
        var results = new Results(command, options.products(), options.randomSeed());
        for (String name : options.stores()) {
            results.stores.add(runStore(name));
            afterEachStore.accept(results);
        }
        return results;
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private Store store(String name) {
        return switch (name) {
            case "relational" -> new RelationalStore(options.pgSharedBuffers());
            case "document" -> new DocumentStore(options.pgSharedBuffers());
            case "cassandra" -> new CassandraStore(options.cassandraHeap(), options.sstableBufferMib());
            default -> throw new IllegalArgumentException("unknown store " + name);
        };
    }

    private Results.StoreResult runStore(String name) throws Exception {
        var result = new Results.StoreResult(name);
        // Every store appends the same images with the same ids.
        nextImageId.set(catalog.lastImageId());
        try (Store store = store(name)) {
            log(name + ": starting");
            store.start(options.workDir().resolve(name));
            log(name + ": loading " + catalog.lastId() + " products");
            long start = System.nanoTime();
            store.load(catalog);
            result.loadSeconds = (System.nanoTime() - start) / 1e9;
            result.diskBytes = store.diskBytes();
            log(String.format("%s: loaded in %.1f s, %,d bytes on disk", name, result.loadSeconds, result.diskBytes));
            result.verified = verifyLoaded(store);
            if (options.duration().toMillis() > 0) {
                store.prewarm();
                reads(store, result);
            }
            writes(store, result);
            consistency(store, result);
            result.configuration = store.configuration();
        }
        return result;
    }

    /** Galleries of the first, last, reorder and some random products equal the generator's. */
    private int verifyLoaded(Store store) throws Exception {
        var ids = new LinkedHashSet<Long>(List.of(1L, catalog.products(), catalog.tenImagesId(),
                catalog.twoHundredFiftyImagesId()));
        var random = new SplittableRandom(options.randomSeed());
        for (int i = 0; i < options.verifySample(); i++) {
            ids.add(1 + random.nextLong(catalog.products()));
        }
        try (var client = store.client()) {
            for (long id : ids) {
                var expected = catalog.gallery(id);
                var actual = client.gallery(id).orElse(null);
                if (!expected.equals(actual)) {
                    throw new IllegalStateException(store.name() + " returned for product " + id + "\n  " + actual
                            + "\ninstead of\n  " + expected);
                }
            }
            if (client.gallery(catalog.lastId() + 1).isPresent()) {
                throw new IllegalStateException(store.name() + " has a product past the catalog");
            }
        }
        return ids.size();
    }

    private void reads(Store store, Results.StoreResult result) throws Exception {
        var zipf = new Zipf(catalog.products());
        ToLongFunction<SplittableRandom> uniform = r -> 1 + r.nextLong(catalog.products());
        ToLongFunction<SplittableRandom> zipfIds = zipf::id;
        log(store.name() + ": warm-up " + options.warmup().toSeconds() + " s");
        readPhase(store, new Clients(8, 8), "uniform", uniform, options.warmup().toMillis());
        var memory = new MemorySampler(store);
        try {
            for (var clients : options.clients()) {
                result.reads.add(readPhase(store, clients, "uniform", uniform, options.duration().toMillis()));
                result.reads.add(readPhase(store, clients, "zipf", zipfIds, options.duration().toMillis()));
            }
        } finally {
            result.maxServerMemory = memory.stop();
        }
    }

    private Results.ReadPhase readPhase(Store store, Clients clients, String ids, ToLongFunction<SplittableRandom> nextId,
                                        long millis) throws Exception {
        var stop = new AtomicBoolean();
        var ready = new CountDownLatch(clients.threads());
        var go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients.threads());
        var futures = new ArrayList<Future<Latencies>>();
        var seeds = new SplittableRandom(options.randomSeed() * 31 + clients.threads());
        var shared = new ArrayBlockingQueue<Store.Client>(clients.connections(), true);
        try {
            if (clients.pooled()) {
                for (int c = 0; c < clients.connections(); c++) {
                    shared.add(store.client());
                }
            }
            for (int c = 0; c < clients.threads(); c++) {
                var random = seeds.split();
                futures.add(pool.submit(() -> {
                    var latencies = new Latencies();
                    try (var own = clients.pooled() ? null : store.client()) {
                        ready.countDown();
                        go.await();
                        while (!stop.get()) {
                            long id = nextId.applyAsLong(random);
                            long t0 = System.nanoTime();
                            // Pooled: the wait for a free connection is part of the read; waiters served in turn, as by HikariCP.
                            var client = own != null ? own : shared.take();
                            try {
                                if (client.gallery(id).isEmpty()) {
                                    throw new IllegalStateException("no product " + id);
                                }
                            } finally {
                                if (own == null) {
                                    shared.add(client);
                                }
                            }
                            latencies.add(System.nanoTime() - t0);
                        }
                    }
                    return latencies;
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            Thread.sleep(millis);
            stop.set(true);
            var all = new Latencies();
            for (var f : futures) {
                all.addAll(f.get(5, TimeUnit.MINUTES));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            var phase = new Results.ReadPhase(clients, ids, all.count(), seconds, all.micros(Results.PERCENTILES),
                    loadAverage());
            log(String.format("%s: %s, %s ids: %,.0f reads/s, p50 %.0f µs, p99 %.0f µs", store.name(), clients,
                    ids, phase.perSecond(), phase.micros()[0], phase.micros()[2]));
            return phase;
        } finally {
            stop.set(true);
            go.countDown();
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            shared.forEach(Store.Client::close);
        }
    }

    /**
     * At one client: append to, move the first image of, and delete the first image of the same
     * random products (their galleries end as they began, less the first image and plus the
     * new); then move the first image to the end on the 10- and 250-image products.
     */
    private void writes(Store store, Results.StoreResult result) throws Exception {
        var random = new SplittableRandom(options.randomSeed() + 7);
        var ids = new ArrayList<Long>();
        for (int i = 0; i < options.writes(); i++) {
            ids.add(3 + random.nextLong(Math.max(1, catalog.products() - 2)));
        }
        var model = new HashMap<Long, Gallery>();
        var appended = new ArrayList<Gallery.Img>();
        long firstAppended = nextImageId.get();
        for (int i = 0; i < ids.size(); i++) {
            long id = firstAppended + i + 1;
            appended.add(new Gallery.Img(id, "https://cdn.example.com/appended/" + id + ".jpg",
                    "https://cdn.example.com/appended/" + id + "-t.jpg", "appended " + id, 800, 600));
        }
        nextImageId.addAndGet(ids.size());
        try (var client = store.client()) {
            result.writes.add(timed("append", ids.size(), i -> {
                long id = ids.get(i);
                client.append(id, appended.get(i));
                model.compute(id, (k, g) -> with(g == null ? catalog.gallery(k) : g, l -> l.add(appended.get(i))));
            }));
            result.writes.add(timed("move (first to last)", ids.size(), i -> {
                long id = ids.get(i);
                client.moveFirstToLast(id);
                model.compute(id, (k, g) -> with(g, l -> l.add(l.remove(0))));
            }));
            result.writes.add(timed("delete (first)", ids.size(), i -> {
                long id = ids.get(i);
                client.deleteFirst(id);
                model.compute(id, (k, g) -> with(g, l -> l.remove(0)));
            }));
            for (long id : List.of(catalog.tenImagesId(), catalog.twoHundredFiftyImagesId())) {
                int size = catalog.gallery(id).images().size();
                result.writes.add(timed("move in a gallery of " + size, ids.size(), i -> {
                    client.moveFirstToLast(id);
                    model.compute(id, (k, g) -> with(g == null ? catalog.gallery(k) : g, l -> l.add(l.remove(0))));
                }));
            }
            for (var entry : model.entrySet()) {
                var actual = client.gallery(entry.getKey()).orElse(null);
                if (!entry.getValue().equals(actual)) {
                    throw new IllegalStateException(store.name() + " after the writes returned for product "
                            + entry.getKey() + "\n  " + actual + "\ninstead of\n  " + entry.getValue());
                }
                result.afterWrites.put(entry.getKey(), actual);
            }
        }
    }

    private static Gallery with(Gallery g, java.util.function.Consumer<List<Gallery.Img>> change) {
        var images = new ArrayList<>(g.images());
        change.accept(images);
        return g.withImages(images);
    }

    interface IndexedWork {
        void run(int i) throws Exception;
    }

    private Results.WritePhase timed(String operation, int count, IndexedWork work) throws Exception {
        var latencies = new Latencies();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            work.run(i);
            latencies.add(System.nanoTime() - t0);
        }
        return new Results.WritePhase(operation, count, latencies.micros(Results.PERCENTILES));
    }

    /**
     * The write API's test, on the store: {@value #CONCURRENT_APPENDS} clients append one image
     * each to one product while another reverses its order (read, write if unchanged, else read
     * again). Products 1 and 2, which no other write touches.
     */
    private void consistency(Store store, Results.StoreResult result) throws Exception {
        try (var probe = store.client()) {
            result.consistency.add(concurrentAppends(store, 1, false));
            if (probe.plainAppend() != null) {
                result.consistency.add(concurrentAppends(store, Math.min(2, catalog.products()), true));
            }
        }
    }

    private Results.Consistency concurrentAppends(Store store, long productId, boolean plain) throws Exception {
        Gallery before;
        String write;
        try (var c = store.client()) {
            before = c.gallery(productId).orElseThrow();
            write = plain ? c.plainAppend() : "the safe append";
        }
        var go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_APPENDS + 1);
        var acknowledged = new ArrayList<Long>();
        var attempts = new AtomicLong();
        try {
            var appends = new ArrayList<Future<Long>>();
            for (int t = 0; t < CONCURRENT_APPENDS; t++) {
                long id = nextImageId.incrementAndGet();
                var image = new Gallery.Img(id, "https://cdn.example.com/race/" + id + ".jpg",
                        "https://cdn.example.com/race/" + id + "-t.jpg", "race " + id, 640, 480);
                appends.add(pool.submit(() -> {
                    try (var c = store.client()) {
                        go.await();
                        if (plain) {
                            c.appendPlain(productId, image);
                        } else {
                            c.append(productId, image);
                        }
                        return id;
                    }
                }));
            }
            var reorder = pool.submit(() -> {
                try (var c = store.client()) {
                    go.await();
                    while (true) {
                        attempts.incrementAndGet();
                        var g = c.gallery(productId).orElseThrow();
                        var reversed = new ArrayList<>(g.imageIds());
                        java.util.Collections.reverse(reversed);
                        if (c.reorder(productId, g.version(), reversed)) {
                            return null;
                        }
                    }
                }
            });
            go.countDown();
            for (var f : appends) {
                acknowledged.add(f.get(5, TimeUnit.MINUTES));
            }
            reorder.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        try (var c = store.client()) {
            var after = c.gallery(productId).orElseThrow();
            var expected = new LinkedHashSet<>(before.imageIds());
            expected.addAll(acknowledged);
            var present = new LinkedHashSet<>(after.imageIds());
            int lost = (int) expected.stream().filter(id -> !present.contains(id)).count();
            boolean noDuplicates = present.size() == after.images().size();
            var consistency = new Results.Consistency(write, before.images().size(), acknowledged.size(),
                    after.images().size(), lost, (int) attempts.get(), noDuplicates);
            log(String.format("%s: %d concurrent appends (%s) and a reorder: %d images before, %d after, %d lost",
                    store.name(), CONCURRENT_APPENDS, write, before.images().size(), after.images().size(), lost));
            return consistency;
        }
    }

    /** The largest memory of the server's processes (PSS) while the reads ran. */
    private static final class MemorySampler {
        private final Thread thread;
        private final AtomicLong max = new AtomicLong();
        private volatile boolean running = true;

        MemorySampler(Store store) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        max.accumulateAndGet(Processes.pss(store.serverPids()), Math::max);
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a process list read while a backend exits
                    }
                }
            }, "memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            return max.get();
        }
    }

    static void log(String line) {
        System.err.println(java.time.LocalTime.now().withNano(0) + " " + line);
    }

    /**
     * Concurrent readers and the connections (or clients of a driver session) they use: one each,
     * or fewer taken in turn from a pool, as the service's 8-connection pool serves its requests.
     */
    record Clients(int threads, int connections) {

        static final String DEFAULT = "1,8,64,64/8";

        Clients {
            if (threads < 1 || connections < 1 || connections > threads) {
                throw new IllegalArgumentException("clients: need 1 <= connections <= clients, got " + threads
                        + " clients over " + connections + " connections");
            }
        }

        /** "64" (a connection each) or "64/8" (64 clients over 8 connections), comma-separated. */
        static List<Clients> parse(String list) {
            return Arrays.stream(list.split(",")).map(Clients::parseOne).toList();
        }

        private static Clients parseOne(String item) {
            String[] parts = item.trim().split("/", -1);
            if (parts.length <= 2) {
                try {
                    int threads = Integer.parseInt(parts[0]);
                    return new Clients(threads, parts.length == 2 ? Integer.parseInt(parts[1]) : threads);
                } catch (NumberFormatException e) {
                    // the message below says what is expected
                }
            }
            throw new IllegalArgumentException("--clients takes N or N/CONNECTIONS, comma-separated, got " + item);
        }

        boolean pooled() {
            return connections < threads;
        }

        /** " over 8 connections" when pooled, else empty. */
        String sharing() {
            return pooled() ? " over " + connections + " connections" : "";
        }

        @Override
        public String toString() {
            return threads + (threads == 1 ? " client" : " clients") + sharing();
        }
    }

    /** The run's settings. */
    record Options(long products, long randomSeed, List<String> stores, java.time.Duration duration,
                   java.time.Duration warmup, List<Clients> clients, int writes, int verifySample,
                   String pgSharedBuffers, String cassandraHeap, int sstableBufferMib, Path workDir) {

        Options withWorkDir(Path dir) {
            return new Options(products, randomSeed, stores, duration, warmup, clients, writes, verifySample,
                    pgSharedBuffers, cassandraHeap, sstableBufferMib, dir);
        }
    }
}
