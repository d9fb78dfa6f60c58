package dev.memos.solr;

import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Creates memos' collection on first start, with its configset ({@code config/solr/memos}, carried in the jar) as
 * {@code memos-d<dimension>-<model hash>}, and tells at a later start whether the collection was built for the
 * configured model and dimension.
 */
final class SolrCollections {
    private static final List<String> CONFIGSET_FILES = List.of("schema.xml", "solrconfig.xml", "stopwords.txt");
    private static final long READY_TIMEOUT_MS = 60_000;

    private final CloudHttp2SolrClient client;

    SolrCollections(CloudHttp2SolrClient client) {
        this.client = client;
    }

    /** Opens (or creates) the collection; true when it starts without entries and needs a rebuild. */
    boolean open(String collection, int shards, int replicas, String model, int dimension, boolean rebuildOnMismatch) {
        String configset = configsetName(model, dimension);
        List<String> existing = call(collection, "list the collections", () -> CollectionAdminRequest.listCollections(client));
        if (!existing.contains(collection)) {
            upload(configset, dimension, model);
            call(collection, "create", () -> CollectionAdminRequest.createCollection(collection, configset, shards, replicas)
                    .setRouterField(SolrDocuments.SPACE).process(client));
            awaitSearchable(collection);
            return true;
        }
        String built = configsetOf(collection);
        if (configset.equals(built)) {
            awaitSearchable(collection);
            return false;
        }
        if (!rebuildOnMismatch) {
            throw new IllegalStateException("the Solr collection " + collection + " was built with configset " + built
                    + " but memos is configured with model " + model + " (" + dimension + " dimensions), configset "
                    + configset + "; rebuild it from the database: start once with memos.search.rebuild-on-mismatch=true");
        }
        call(collection, "empty", () -> client.deleteByQuery(collection, "*:*"));
        call(collection, "commit", () -> client.commit(collection, true, true));
        upload(configset, dimension, model);
        call(collection, "switch the configset of", () -> CollectionAdminRequest.modifyCollection(collection,
                Map.of("collection.configName", configset)).process(client));
        call(collection, "reload", () -> CollectionAdminRequest.reloadCollection(collection).process(client));
        awaitSearchable(collection);
        return true;
    }

    static String configsetName(String model, int dimension) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256").digest(model.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "memos-d" + dimension + "-" + HexFormat.of().formatHex(digest, 0, 4);
    }

    private String configsetOf(String collection) {
        NamedList<Object> status = call(collection, "read the status of",
                () -> CollectionAdminRequest.getClusterStatus().setCollectionName(collection).process(client)).getResponse();
        Object node = status;
        for (String key : List.of("cluster", "collections", collection, "configName")) {
            node = switch (node) {
                case NamedList<?> list -> list.get(key);
                case Map<?, ?> map -> map.get(key);
                case null, default -> null;
            };
        }
        return node == null ? null : node.toString();
    }

    /** Uploads the configset unless the cluster has it, the schema's dimension and name filled in. */
    private void upload(String configset, int dimension, String model) {
        List<String> have = call(configset, "list the configsets of",
                () -> new ConfigSetAdminRequest.List().process(client)).getConfigSets();
        if (have.contains(configset)) {
            return;
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (String file : CONFIGSET_FILES) {
                String text;
                try (InputStream in = SolrCollections.class.getResourceAsStream("configset/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the configset file " + file + " is missing from the jar");
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                if (file.equals("schema.xml")) {
                    text = text.replace("@DIMENSION@", Integer.toString(dimension))
                            .replace("<schema name=\"memos\"", "<schema name=\"memos " + xml(model) + "\"");
                }
                out.putNextEntry(new ZipEntry(file));
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ContentStreamBase.ByteArrayStream stream = new ContentStreamBase.ByteArrayStream(zip.toByteArray(), configset,
                "application/octet-stream");
        call(configset, "upload the configset", () -> new ConfigSetAdminRequest.Upload().setConfigSetName(configset)
                .setUploadStream(stream).process(client));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    /** Waits until a search on the collection answers (every shard has an active replica). */
    private void awaitSearchable(String collection) {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (true) {
            try {
                client.query(collection, new SolrQuery("*:*").setRows(0));
                return;
            } catch (Exception notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the Solr collection " + collection + " did not answer searches in "
                            + READY_TIMEOUT_MS / 1000 + " s: " + notYet.getMessage(), notYet);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Solr collection " + collection, e);
            }
        }
    }

    private static <T> T call(String name, String what, SolrSearchIndex.SolrCall<T> call) {
        return SolrSearchIndex.call(name, what, call);
    }
}
