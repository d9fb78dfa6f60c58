package dev.memos.testkit.solr;

import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs one SolrCloud 9.10 node in this JVM: {@code SolrMain <home> <port> <zk-port> zk|join}. With {@code zk} the
 * node first starts a standalone ZooKeeper on the loopback {@code zk-port} (the first node of a test cluster); with
 * {@code join} it joins the ZooKeeper there. Started by {@code dev.memos.testkit.servers.SolrCloud} as its own
 * process, because Solr's Lucene 9 must never meet memos' Lucene 10 on one classpath.
 */
public final class SolrMain {
    public static final String READY = "memos: Solr node is ready";

    private SolrMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int zkPort = Integer.parseInt(args[2]);
        boolean zk = "zk".equals(args[3]);
        Files.createDirectories(home);
        if (zk) {
            Path zkData = Files.createDirectories(home.resolve("zookeeper"));
            ZooKeeperServer server = new ZooKeeperServer(zkData.toFile(), zkData.toFile(), 2000);
            ServerCnxnFactory connections = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", zkPort), 200);
            connections.startup(server);
            Runtime.getRuntime().addShutdownHook(new Thread(connections::shutdown));
        }
        Path solrHome = Files.createDirectories(home.resolve("solr"));
        Files.writeString(solrHome.resolve("solr.xml"), MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML);
        System.setProperty("solr.install.dir", home.toString());
        System.setProperty("solr.security.allow.urls.enable", "false");
        System.setProperty("solr.disable.allowUrls", "true");
        System.setProperty("host", "127.0.0.1");
        System.setProperty("solr.log.dir", home.toString());
        Properties node = new Properties();
        node.setProperty("zkHost", "127.0.0.1:" + zkPort);
        node.setProperty("hostPort", Integer.toString(port));
        node.setProperty("hostContext", "/solr");
        JettySolrRunner jetty = new JettySolrRunner(solrHome.toString(), node,
                JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(true).build());
        jetty.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jetty.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println(READY + " on " + jetty.getBaseUrl());
        System.out.flush();
    }
}
