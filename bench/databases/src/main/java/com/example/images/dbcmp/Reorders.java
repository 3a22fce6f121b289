package com.example.images.dbcmp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reordering a gallery read by the client, for the stores that rewrite it whole. */
final class Reorders {

    private Reorders() {
    }

    static boolean sameIds(Gallery g, List<Long> imageIds) {
        return imageIds.size() == g.images().size() && new HashSet<>(imageIds).equals(new HashSet<>(g.imageIds()));
    }

    /** Writes a gallery read by the client, changed, if it is still as read. */
    interface ConditionalWrite {
        boolean write(Gallery read, List<Gallery.Img> images) throws Exception;
    }

    /** Reads the gallery, changes it and writes it if unchanged meanwhile, else starts over. */
    static void rewrite(Store.Client client, long productId, Consumer<List<Gallery.Img>> change,
                        ConditionalWrite write) throws Exception {
        while (true) {
            var read = client.gallery(productId).orElseThrow();
            var images = new ArrayList<>(read.images());
            change.accept(images);
            if (write.write(read, images)) {
                return;
            }
        }
    }

    static List<Gallery.Img> inOrder(Gallery g, List<Long> imageIds) {
        Map<Long, Gallery.Img> byId = g.images().stream().collect(Collectors.toMap(Gallery.Img::id, Function.identity()));
        return imageIds.stream().map(byId::get).toList();
    }
}
