import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Renders the sample catalog's photos (catalog/images/sample/*.jpg): drawn pictures of the ten
 * sample pieces, so that the demo storefront shows something. Run from the repository root:
 * <pre>java -Djava.awt.headless=true catalog/RenderSamplePhotos.java</pre>
 * Deterministic (fixed seeds): running it again writes the same pictures.
 */
public final class RenderSamplePhotos {
    static final int SIZE = 480;
    static final Color SILVER_LIGHT = new Color(0xF4F6F8);
    static final Color SILVER = new Color(0xB8BEC6);
    static final Color SILVER_DARK = new Color(0x6E7680);
    static final Color GOLD_LIGHT = new Color(0xFFF1B8);
    static final Color GOLD = new Color(0xD9A93B);
    static final Color GOLD_DARK = new Color(0x8A6414);

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "catalog/images/sample");
        Files.createDirectories(out);
        write(out, "ring-aria.jpg", RenderSamplePhotos::ringAria);
        write(out, "ring-meridian.jpg", RenderSamplePhotos::ringMeridian);
        write(out, "neck-tide.jpg", g -> necklaceTide(g, false));
        write(out, "neck-tide-worn.jpg", g -> necklaceTide(g, true));
        write(out, "neck-lantern.jpg", RenderSamplePhotos::necklaceLantern);
        write(out, "ear-seaglass.jpg", RenderSamplePhotos::earringsSeaGlass);
        write(out, "ear-comet.jpg", RenderSamplePhotos::earringsComet);
        write(out, "cuff-river.jpg", RenderSamplePhotos::cuffRiver);
        write(out, "brac-pebble.jpg", RenderSamplePhotos::braceletPebble);
        write(out, "brooch-fern.jpg", RenderSamplePhotos::broochFern);
    }

    interface Drawing {
        void draw(Graphics2D g);
    }

    static void write(Path dir, String name, Drawing drawing) throws IOException {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        backdrop(g, new Color(0xF7F1EA), new Color(0xE4D8CB));
        drawing.draw(g);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        Path file = dir.resolve(name);
        Files.deleteIfExists(file);
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        writer.dispose();
        System.out.printf("%s %d bytes%n", file, Files.size(file));
    }

    /** A soft studio backdrop: a vertical gradient with a pool of light in the middle. */
    static void backdrop(Graphics2D g, Color top, Color bottom) {
        g.setPaint(new GradientPaint(0, 0, top, 0, SIZE, bottom));
        g.fillRect(0, 0, SIZE, SIZE);
        g.setPaint(new RadialGradientPaint(new Point2D.Float(SIZE / 2f, SIZE * 0.45f), SIZE * 0.55f,
                new float[] {0f, 1f}, new Color[] {new Color(255, 255, 255, 150), new Color(255, 255, 255, 0)}));
        g.fillRect(0, 0, SIZE, SIZE);
    }

    static void shadow(Graphics2D g, double cx, double cy, double w, double h) {
        g.setPaint(new RadialGradientPaint(new Point2D.Double(cx, cy), (float) (w / 2),
                new float[] {0f, 1f}, new Color[] {new Color(60, 40, 20, 90), new Color(60, 40, 20, 0)},
                MultipleGradientPaint.CycleMethod.NO_CYCLE));
        g.fill(AffineTransform.getScaleInstance(1, 1).createTransformedShape(
                new Ellipse2D.Double(cx - w / 2, cy - h / 2, w, h)));
    }

    static GradientPaint metal(double x0, double y0, double x1, double y1, Color light, Color dark) {
        return new GradientPaint((float) x0, (float) y0, light, (float) x1, (float) y1, dark, true);
    }

    static Shape ring(double cx, double cy, double outerW, double outerH, double thickness) {
        Area band = new Area(new Ellipse2D.Double(cx - outerW / 2, cy - outerH / 2, outerW, outerH));
        band.subtract(new Area(new Ellipse2D.Double(cx - outerW / 2 + thickness, cy - outerH / 2 + thickness * 0.8,
                outerW - 2 * thickness, outerH - 1.6 * thickness)));
        return band;
    }

    static void ringAria(Graphics2D g) {
        shadow(g, 240, 380, 300, 50);
        Shape band = ring(240, 270, 250, 190, 26);
        g.setPaint(metal(115, 200, 365, 340, SILVER_LIGHT, SILVER_DARK));
        g.fill(band);
        g.setColor(new Color(255, 255, 255, 160));
        g.setStroke(new BasicStroke(3f));
        g.draw(new Arc2D.Double(130, 185, 220, 160, 200, 120, Arc2D.OPEN));
        // the bezel and its moonstone
        g.setPaint(metal(200, 130, 280, 200, SILVER_LIGHT, SILVER_DARK));
        g.fill(new Ellipse2D.Double(190, 120, 100, 84));
        g.setPaint(new RadialGradientPaint(new Point2D.Float(228, 148), 46, new float[] {0f, 0.5f, 1f},
                new Color[] {new Color(0xFFFFFF), new Color(0xCFE3F5), new Color(0x7E9CC2)}));
        g.fill(new Ellipse2D.Double(200, 129, 80, 66));
        g.setColor(new Color(255, 255, 255, 200));
        g.fill(new Ellipse2D.Double(218, 138, 22, 12));
    }

    static void ringMeridian(Graphics2D g) {
        shadow(g, 240, 385, 320, 54);
        Shape band = ring(240, 260, 280, 220, 40);
        g.setPaint(metal(100, 150, 380, 370, GOLD_LIGHT, GOLD_DARK));
        g.fill(band);
        // hammered facets
        Random random = new Random(7);
        g.setClip(band);
        for (int i = 0; i < 140; i++) {
            double x = 100 + random.nextDouble() * 280;
            double y = 150 + random.nextDouble() * 220;
            double r = 6 + random.nextDouble() * 10;
            g.setColor(random.nextBoolean() ? new Color(255, 246, 210, 90) : new Color(120, 80, 10, 70));
            g.fill(new Ellipse2D.Double(x - r, y - r * 0.7, 2 * r, 1.4 * r));
        }
        g.setClip(null);
        // the oxidised silver inlay line
        g.setColor(new Color(0x2E2E33));
        g.setStroke(new BasicStroke(3.5f));
        g.draw(new Ellipse2D.Double(240 - 120, 260 - 90, 240, 180));
    }

    static Path2D chain(double x0, double y0, double cx, double cy, double x1, double y1) {
        Path2D path = new Path2D.Double();
        path.moveTo(x0, y0);
        path.quadTo(cx, cy, x1, y1);
        return path;
    }

    static void drawChain(Graphics2D g, Shape path, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(3.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {7f, 3f}, 0));
        g.draw(path);
        g.setColor(new Color(255, 255, 255, 140));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {3f, 7f}, 1));
        g.draw(path);
    }

    static void necklaceTide(Graphics2D g, boolean worn) {
        if (worn) {
            backdrop(g, new Color(0xE9C9AE), new Color(0xC99C7A));
            g.setPaint(new GradientPaint(0, 0, new Color(0xF1D2B8), 0, SIZE, new Color(0xD9AC8B)));
            Path2D neck = new Path2D.Double();
            neck.moveTo(150, 0);
            neck.curveTo(160, 120, 120, 190, 0, 250);
            neck.lineTo(0, SIZE);
            neck.lineTo(SIZE, SIZE);
            neck.lineTo(SIZE, 250);
            neck.curveTo(360, 190, 320, 120, 330, 0);
            neck.closePath();
            g.fill(neck);
            g.setColor(new Color(0x3A2A22));
            g.fillRect(0, 0, 480, 0);
        }
        Path2D left = chain(90, 40, 130, 300, 240, 318);
        Path2D right = chain(390, 40, 350, 300, 240, 318);
        drawChain(g, left, SILVER_DARK);
        drawChain(g, right, SILVER_DARK);
        if (!worn) {
            shadow(g, 248, 440, 150, 30);
        }
        // the wave pendant
        Path2D wave = new Path2D.Double();
        wave.moveTo(175, 420);
        wave.curveTo(170, 360, 230, 318, 275, 340);
        wave.curveTo(310, 358, 300, 400, 268, 396);
        wave.curveTo(245, 393, 246, 370, 262, 368);
        wave.curveTo(240, 350, 205, 380, 215, 420);
        wave.closePath();
        g.setPaint(metal(170, 330, 310, 430, SILVER_LIGHT, SILVER_DARK));
        g.fill(wave);
        g.setColor(new Color(255, 255, 255, 170));
        g.setStroke(new BasicStroke(2f));
        g.draw(new Arc2D.Double(190, 345, 90, 80, 100, 70, Arc2D.OPEN));
        g.setPaint(metal(232, 310, 248, 330, SILVER_LIGHT, SILVER_DARK));
        g.setStroke(new BasicStroke(4f));
        g.draw(new Ellipse2D.Double(232, 312, 16, 16));
    }

    static Shape star(double cx, double cy, double outer, double inner, int points) {
        GeneralPath star = new GeneralPath();
        for (int i = 0; i < points * 2; i++) {
            double r = i % 2 == 0 ? outer : inner;
            double a = Math.PI * i / points - Math.PI / 2;
            double x = cx + r * Math.cos(a);
            double y = cy + r * Math.sin(a);
            if (i == 0) {
                star.moveTo(x, y);
            } else {
                star.lineTo(x, y);
            }
        }
        star.closePath();
        return star;
    }

    static void necklaceLantern(Graphics2D g) {
        backdrop(g, new Color(0x3B3540), new Color(0x1F1B22));
        drawChain(g, chain(80, 20, 120, 250, 240, 250), GOLD);
        drawChain(g, chain(400, 20, 360, 250, 240, 250), GOLD);
        // little stars of light thrown around
        Random random = new Random(11);
        for (int i = 0; i < 26; i++) {
            double x = 40 + random.nextDouble() * 400;
            double y = 260 + random.nextDouble() * 210;
            g.setColor(new Color(255, 226, 150, 40 + random.nextInt(90)));
            g.fill(star(x, y, 4 + random.nextDouble() * 6, 2, 5));
        }
        Area locket = new Area(new RoundRectangle2D.Double(180, 260, 120, 160, 60, 60));
        Random holes = new Random(3);
        for (int i = 0; i < 9; i++) {
            locket.subtract(new Area(star(200 + holes.nextDouble() * 80, 285 + holes.nextDouble() * 110,
                    9, 4, 5)));
        }
        g.setPaint(metal(180, 260, 300, 420, GOLD_LIGHT, GOLD_DARK));
        g.fill(locket);
        g.setColor(new Color(255, 240, 190, 150));
        g.setStroke(new BasicStroke(2f));
        g.draw(new RoundRectangle2D.Double(186, 266, 108, 148, 54, 54));
        g.setPaint(metal(230, 238, 250, 262, GOLD_LIGHT, GOLD_DARK));
        g.setStroke(new BasicStroke(5f));
        g.draw(new Ellipse2D.Double(230, 238, 20, 22));
    }

    static Shape drop(double cx, double top, double w, double h) {
        Path2D drop = new Path2D.Double();
        drop.moveTo(cx, top);
        drop.curveTo(cx + w * 0.15, top + h * 0.3, cx + w / 2, top + h * 0.5, cx + w / 2, top + h * 0.72);
        drop.curveTo(cx + w / 2, top + h * 1.02, cx - w / 2, top + h * 1.02, cx - w / 2, top + h * 0.72);
        drop.curveTo(cx - w / 2, top + h * 0.5, cx - w * 0.15, top + h * 0.3, cx, top);
        drop.closePath();
        return drop;
    }

    static void earringsSeaGlass(Graphics2D g) {
        for (double cx : new double[] {160, 320}) {
            shadow(g, cx + 10, 430, 110, 24);
            // the hook
            g.setColor(SILVER_DARK);
            g.setStroke(new BasicStroke(3.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Arc2D.Double(cx - 30, 60, 60, 70, 0, 200, Arc2D.OPEN));
            g.draw(new java.awt.geom.Line2D.Double(cx + 30, 95, cx, 180));
            Shape glass = drop(cx, 170, 110, 230);
            g.setPaint(new RadialGradientPaint(new Point2D.Double(cx - 20, 300), 120, new float[] {0f, 0.6f, 1f},
                    new Color[] {new Color(0xE9F7EC), new Color(0xA9D8BA), new Color(0x6FA889)}));
            g.fill(glass);
            g.setColor(new Color(255, 255, 255, 120));
            g.fill(new Ellipse2D.Double(cx - 35, 290, 22, 60));
            // fine wire wrapped around it
            g.setClip(glass);
            g.setColor(SILVER);
            g.setStroke(new BasicStroke(2.2f));
            for (int i = 0; i < 5; i++) {
                double y = 200 + i * 16;
                g.draw(new java.awt.geom.Line2D.Double(cx - 60, y + 12, cx + 60, y - 8));
            }
            g.setClip(null);
        }
    }

    static void earringsComet(Graphics2D g) {
        for (double[] at : new double[][] {{170, 210}, {320, 280}}) {
            double cx = at[0];
            double cy = at[1];
            shadow(g, cx + 10, cy + 40, 120, 22);
            g.setPaint(new GradientPaint((float) (cx - 110), (float) cy, new Color(217, 169, 59, 0),
                    (float) cx, (float) cy, GOLD));
            Path2D tail = new Path2D.Double();
            tail.moveTo(cx - 120, cy - 40);
            tail.quadTo(cx - 40, cy - 22, cx, cy - 8);
            tail.lineTo(cx, cy + 8);
            tail.quadTo(cx - 50, cy - 10, cx - 120, cy - 38);
            tail.closePath();
            g.fill(tail);
            g.setPaint(new RadialGradientPaint(new Point2D.Double(cx - 6, cy - 6), 26, new float[] {0f, 0.5f, 1f},
                    new Color[] {GOLD_LIGHT, GOLD, GOLD_DARK}));
            g.fill(new Ellipse2D.Double(cx - 22, cy - 22, 44, 44));
            // brushed texture
            Random random = new Random((long) cx);
            g.setClip(new Ellipse2D.Double(cx - 22, cy - 22, 44, 44));
            for (int i = 0; i < 30; i++) {
                g.setColor(new Color(255, 240, 200, 40 + random.nextInt(40)));
                double y = cy - 22 + random.nextDouble() * 44;
                g.draw(new java.awt.geom.Line2D.Double(cx - 22, y, cx + 22, y + 3));
            }
            g.setClip(null);
        }
    }

    static void cuffRiver(Graphics2D g) {
        shadow(g, 240, 395, 340, 60);
        Area cuff = new Area(new Arc2D.Double(90, 110, 300, 260, -60, 300, Arc2D.PIE));
        cuff.subtract(new Area(new Ellipse2D.Double(150, 165, 180, 150)));
        g.setPaint(metal(90, 110, 390, 370, SILVER_LIGHT, SILVER_DARK));
        g.fill(cuff);
        g.setClip(cuff);
        g.setStroke(new BasicStroke(2.4f));
        for (int i = 0; i < 9; i++) {
            Path2D ripple = new Path2D.Double();
            double y = 110 + i * 30;
            ripple.moveTo(80, y);
            for (int x = 80; x <= 400; x += 40) {
                ripple.quadTo(x + 10, y + (i % 2 == 0 ? 12 : -12), x + 20, y);
                ripple.quadTo(x + 30, y + (i % 2 == 0 ? -12 : 12), x + 40, y);
            }
            g.setColor(i % 2 == 0 ? new Color(255, 255, 255, 150) : new Color(70, 76, 84, 110));
            g.draw(ripple);
        }
        g.setClip(null);
    }

    static void braceletPebble(Graphics2D g) {
        shadow(g, 240, 390, 360, 60);
        Random random = new Random(5);
        Color[] stones = {new Color(0x8F9A9C), new Color(0xB7A99A), new Color(0x6C7A7E), new Color(0xCFC4B4),
                new Color(0x9C8F84)};
        drawChain(g, new Ellipse2D.Double(100, 130, 280, 220), SILVER_DARK);
        for (int i = 0; i < 12; i++) {
            double a = 2 * Math.PI * i / 12;
            double x = 240 + 140 * Math.cos(a);
            double y = 240 + 110 * Math.sin(a);
            double w = 44 + random.nextDouble() * 14;
            double h = 32 + random.nextDouble() * 10;
            Color stone = stones[i % stones.length];
            g.setPaint(new RadialGradientPaint(new Point2D.Double(x - w / 5, y - h / 4), (float) w / 1.4f,
                    new float[] {0f, 1f}, new Color[] {stone.brighter(), stone.darker()}));
            g.fill(AffineTransform.getRotateInstance(a + Math.PI / 2, x, y)
                    .createTransformedShape(new Ellipse2D.Double(x - w / 2, y - h / 2, w, h)));
        }
    }

    static void broochFern(Graphics2D g) {
        backdrop(g, new Color(0x2F4A3C), new Color(0x1C2E25));
        shadow(g, 250, 420, 260, 40);
        Path2D stem = new Path2D.Double();
        stem.moveTo(170, 420);
        stem.curveTo(200, 330, 250, 220, 320, 70);
        g.setPaint(metal(170, 70, 320, 420, SILVER_LIGHT, SILVER_DARK));
        g.setStroke(new BasicStroke(6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(stem);
        for (int i = 0; i < 14; i++) {
            double t = i / 14.0;
            double x = bezier(170, 200, 250, 320, t);
            double y = bezier(420, 330, 220, 70, t);
            double length = 70 * (1 - t) + 16;
            for (int side : new int[] {-1, 1}) {
                Shape leaf = new Ellipse2D.Double(0, -length * 0.16, length, length * 0.32);
                double angle = Math.toRadians(side < 0 ? 200 - 20 * t : -20 + 20 * t);
                AffineTransform at = new AffineTransform();
                at.translate(x, y);
                at.rotate(angle);
                g.setPaint(metal(x, y - 20, x + 30, y + 20, new Color(0xDDE8E0), new Color(0x5E7468)));
                g.fill(at.createTransformedShape(leaf));
            }
        }
        // the pin's catch
        g.setColor(SILVER);
        g.fill(new Ellipse2D.Double(158, 408, 24, 24));
    }

    static double bezier(double p0, double p1, double p2, double p3, double t) {
        double u = 1 - t;
        return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
    }
}
