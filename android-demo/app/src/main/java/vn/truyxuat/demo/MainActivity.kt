package vn.truyxuat.demo

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import vn.truyxuat.demo.ui.TruyxuatScreens
import vn.truyxuat.demo.ui.TruyxuatTheme

class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent {
            TruyxuatTheme {
                TruyxuatScreens()
            }
        }
    }
}
